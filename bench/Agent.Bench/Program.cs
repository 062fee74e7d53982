using Agent.Bench.Benchmarks;
using Agent.Bench.Faults;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;
using Agent.Bench.SlowRuns;

// Entry point of bench/run.sh: `default` measures the figures, `faults` runs the fault scenarios.
// Sizes can be reduced for a quick try: BENCH_LOAD_SECONDS, BENCH_SEARCH_REQUESTS, BENCH_PUSH_RUNS, BENCH_SLOW_SECONDS.
var mode = args.FirstOrDefault() ?? "default";
if (mode == "push-clients" && args.Length == 3)
{
    // The live-push subscribers' own process (see PushClients).
    return await PushClients.ServeAsync(new Uri(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}
if (mode == "slow-load" && args.Length == 3)
{
    // The many-slow-runs load's own process: fake model and clients (see SlowRunLoad).
    return await SlowRunLoad.ServeAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan.FromMilliseconds(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)));
}
if (mode is not ("default" or "faults"))
{
    Console.Error.WriteLine("usage: Agent.Bench [default|faults]");
    return 2;
}

using var context = BenchContext.Create();
var report = new Report(mode);
Console.WriteLine($"Agent bench, mode {mode}, {Environment.ProcessorCount} cores, scratch {context.Scratch}");
// Other processes on the machine change every absolute figure; the load average says how busy it was.
var loadAtStart = ProcessCpu.LoadAverage();

if (mode == "default")
{
    var only = Environment.GetEnvironmentVariable("BENCH_ONLY");
    bool Selected(string name) => string.IsNullOrEmpty(only) || only.Split(',').Contains(name);
    // The raw limit is measured right before each figure compared with it, so both see the machine in the same state;
    // the comparison uses the best raw measurement so far (the storage's limit is what it can do at best).
    var rawLimit = 0.0;
    async Task<double> RawLimitAsync() => rawLimit = Math.Max(rawLimit, await RawLimitBenchmark.RunAsync(context, report, TimeSpan.FromSeconds(5)));
    if (Selected("run"))
    {
        await AgentRunBenchmark.RunAsync(context, report, TimeSpan.FromSeconds(Settings.Int("BENCH_LOAD_SECONDS", 5)), await RawLimitAsync());
    }
    if (Selected("write"))
    {
        await AuditWriteBenchmark.RunAsync(context, report, TimeSpan.FromSeconds(5), await RawLimitAsync());
    }
    if (Selected("search"))
    {
        await AuditSearchBenchmark.RunAsync(context, report, Settings.Int("BENCH_SEARCH_REQUESTS", 250_000));
    }
    if (Selected("push"))
    {
        await LivePushBenchmark.RunAsync(context, report, Settings.Int("BENCH_PUSH_RUNS", 100));
    }
    if (Selected("slow"))
    {
        await SlowRunsBenchmark.RunAsync(context, report, TimeSpan.FromSeconds(Settings.Int("BENCH_SLOW_SECONDS", 20)));
    }
}
else
{
    await KillDuringLoadFault.RunAsync(context, report);
    await FailingLlmFault.RunAsync(context, report);
    await SlowClientFault.RunAsync(context, report);
}

report.Note($"Machine load average (1, 5, 15 min) at start {loadAtStart}, at end {ProcessCpu.LoadAverage()}, on {Environment.ProcessorCount} cores.");
var name = mode == "default" ? "results" : "faults";
report.Write(context.ResultsDirectory, name);
Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
Console.WriteLine($"Written to {Path.Combine(context.ResultsDirectory, name)}.json and .md");
return 0;
