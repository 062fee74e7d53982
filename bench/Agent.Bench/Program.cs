using Agent.Bench.Benchmarks;
using Agent.Bench.Faults;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

// Entry point of bench/run.sh: `default` measures the figures, `faults` runs the fault scenarios.
// Sizes can be reduced for a quick try: BENCH_LOAD_SECONDS, BENCH_SEARCH_REQUESTS, BENCH_PUSH_RUNS.
var mode = args.FirstOrDefault() ?? "default";
if (mode is not ("default" or "faults"))
{
    Console.Error.WriteLine("usage: Agent.Bench [default|faults]");
    return 2;
}

using var context = BenchContext.Create();
var report = new Report(mode);
Console.WriteLine($"Agent bench, mode {mode}, {Environment.ProcessorCount} cores, scratch {context.Scratch}");

if (mode == "default")
{
    var only = Environment.GetEnvironmentVariable("BENCH_ONLY");
    bool Selected(string name) => string.IsNullOrEmpty(only) || only.Split(',').Contains(name);
    if (Selected("run"))
    {
        await AgentRunBenchmark.RunAsync(context, report, TimeSpan.FromSeconds(Settings.Int("BENCH_LOAD_SECONDS", 5)));
    }
    if (Selected("write"))
    {
        await AuditWriteBenchmark.RunAsync(context, report, TimeSpan.FromSeconds(3));
    }
    if (Selected("search"))
    {
        await AuditSearchBenchmark.RunAsync(context, report, Settings.Int("BENCH_SEARCH_REQUESTS", 250_000));
    }
    if (Selected("push"))
    {
        await LivePushBenchmark.RunAsync(context, report, Settings.Int("BENCH_PUSH_RUNS", 100));
    }
}
else
{
    await KillDuringLoadFault.RunAsync(context, report);
    await FailingLlmFault.RunAsync(context, report);
    await SlowClientFault.RunAsync(context, report);
}

var name = mode == "default" ? "results" : "faults";
report.Write(context.ResultsDirectory, name);
Console.WriteLine();
Console.WriteLine(report.ToMarkdown());
Console.WriteLine($"Written to {Path.Combine(context.ResultsDirectory, name)}.json and .md");
return 0;
