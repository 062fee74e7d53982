using System.Diagnostics;
using Agent.Bench.Benchmarks;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

namespace Agent.Bench.SlowRuns;

/// <summary>
/// Many slow runs: <see cref="InFlight"/> clients each keep one /agent/run in flight against a model that takes 1 s per
/// turn (two turns per run). Ideal throughput is in-flight ÷ model time per run; the server's cost is what a run takes
/// beyond its model time, its CPU per run, its peak resident memory, and how /health answers meanwhile. The clients and
/// the fake model run in a child process (<see cref="SlowRunLoad"/>); BENCH_PIN=1 pins the server to core 0 and the
/// load to core 1 (<c>taskset</c>), so neither takes the other's CPU.
/// </summary>
public static class SlowRunsBenchmark
{
    /// <summary>Runs kept in flight: 1,000, or BENCH_SLOW_IN_FLIGHT (e.g. 200 against 1,000 for the memory per run).</summary>
    private static readonly int InFlight = Settings.Int("BENCH_SLOW_IN_FLIGHT", 1000);
    private static readonly TimeSpan TurnTime = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(BenchContext context, Report report, TimeSpan measured)
    {
        var pinned = Environment.GetEnvironmentVariable("BENCH_PIN") == "1" && CorePinning.Possible;
        Console.WriteLine($"== 6: many slow runs ({InFlight} in flight, model answers each turn after {TurnTime.TotalSeconds:0} s; " +
            $"clients and model in a child process, starts spread over one run's model time{(pinned ? ", server pinned to core 0, load to core 1" : "")})");
        await using var load = await SlowRunLoad.Child.StartAsync(InFlight, TurnTime);
        var workspace = Workspaces.CreateWithEntries(context, "slow-workspace");
        var database = Path.Combine(context.NewDirectory("slow-data"), "agent.db");
        var environment = context.AgentEnvironment(workspace, database);
        environment["LLM_PROVIDER"] = "openai-compatible";
        environment["LLM_BASE_URL"] = load.ModelUrl.ToString();
        environment["LLM_API_KEY"] = "slow-model-key";
        environment["LLM_MODEL"] = "slow-model";
        environment["LLM_TIMEOUT"] = "60";
        await using var server = await context.StartServerAsync(context.AgentDll, environment, "agent-slow.log");
        if (pinned)
        {
            await CorePinning.PinAsync(server.Id, "0");
            await CorePinning.PinAsync(load.Pid, CorePinning.AllButFirst);
        }

        // A cold server met by 1,000 runs at once spends the first wave compiling; a few rounds of 50 runs get the
        // run path (and the LLM client's) through the JIT first, as the throughput sweep's warm-up does.
        using (var warmClient = AgentClient.Create(server.BaseAddress, TimeSpan.FromSeconds(120)))
        {
            for (var round = 0; round < 3; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => AgentClient.RunAsync(warmClient, AgentClient.ListFiles)));
            }
        }
        // Resident memory of the warmed-up server before the load: what the in-flight runs add is the peak minus this.
        var baseline = server.Memory().RssMiB;
        var modelTimePerRun = TurnTime * SlowModelServer.TurnsPerRun;
        // The full load runs this long before the window: as in the throughput sweep (BENCH_WARMUP_SECONDS), tiered
        // compilation keeps recompiling the hot path for tens of seconds, and a 6 s ramp measured it (2,400 methods
        // compiled in an 8 s window).
        var warmUp = modelTimePerRun * 3 > LoadSweep.WarmUp ? modelTimePerRun * 3 : LoadSweep.WarmUp;
        using var probeStop = new CancellationTokenSource();
        load.Go(server.BaseAddress, warmUp, measured);
        var probe = Task.Run(async () =>
        {
            await Task.Delay(warmUp);
            return await HealthProbe.RunAsync(server.BaseAddress, TimeSpan.FromMilliseconds(50), probeStop.Token);
        });
        await Task.Delay(warmUp);
        var (serverBefore, loadBefore) = (ProcessCpu.Read(server.Id), ProcessCpu.Read(load.Pid));
        var window = Stopwatch.StartNew();
        var windowFrom = DateTimeOffset.UtcNow;
        await Task.Delay(measured);
        var (serverAfter, loadAfter) = (ProcessCpu.Read(server.Id), ProcessCpu.Read(load.Pid));
        var windowTo = DateTimeOffset.UtcNow;
        var windowSeconds = window.Elapsed.TotalSeconds;
        var outcome = await load.OutcomeAsync();
        await probeStop.CancelAsync();
        var health = await probe;
        var memory = server.Memory();
        var serverSide = await ServerTimeOutsideModel.ReadAsync(database, windowFrom, windowTo);

        var throughput = outcome.Completed / measured.TotalSeconds;
        var ideal = InFlight / modelTimePerRun.TotalSeconds;
        var overhead = new Percentiles(outcome.OverheadMs);
        var serverCpu = ProcessCpu.MsPerRun(serverBefore, serverAfter, outcome.Completed);
        var loadCpu = ProcessCpu.MsPerRun(loadBefore, loadAfter, outcome.Completed);
        var serverCores = (serverAfter - serverBefore).TotalSeconds / windowSeconds;
        var loadCores = (loadAfter - loadBefore).TotalSeconds / windowSeconds;
        Console.WriteLine($"   {outcome.Completed} runs completed in {measured.TotalSeconds:0} s ({throughput:0} runs/s, ideal {ideal:0}), {outcome.Failed} failed; " +
            $"overhead p50 {overhead.Median:0.0} / p99 {overhead.P99:0.0} ms; peak RSS {memory.PeakMiB:0} MiB ({baseline:0} MiB before the load); health {health.Summary}; {outcome.ModelTurns} model turns; " +
            $"server CPU {serverCpu:0.00} ms/run ({serverCores:0.00} cores), load process {loadCpu:0.00} ms/run ({loadCores:0.00} cores)");
        Console.WriteLine($"   server's own time outside model calls (its audit trail): p50 {serverSide.Total.Median:0.0} / p99 {serverSide.Total.P99:0.0} ms; {serverSide.Summary}");

        report.Add(new ResultRow($"Many slow runs: completed runs/s ({InFlight} in flight, {modelTimePerRun.TotalSeconds:0} s model time per run)", throughput, "runs/s",
            ideal, "ideal: in-flight ÷ model time per run", "≥ 90 % of ideal", throughput >= 0.9 * ideal && outcome.Failed == 0,
            $"{outcome.Completed} runs in {measured.TotalSeconds:0} s after a {warmUp.TotalSeconds:0} s ramp; {outcome.Failed} failed{(pinned ? "; server on core 0, load on core 1" : "")}"));
        report.Add(new ResultRow("Many slow runs: server overhead beyond model time, p50", overhead.Median, "ms", Note: $"n={overhead.Count}"));
        report.Add(new ResultRow("Many slow runs: server overhead beyond model time, p99", overhead.P99, "ms", Target: "< 50 ms", Met: overhead.P99 < 50,
            Note: $"max {overhead.Max:0} ms; measured at the client, so it includes the client's own queueing"));
        report.Add(new ResultRow("Many slow runs: the server's own time outside model calls, p99 (from its audit trail)", serverSide.Total.P99, "ms",
            Note: $"p50 {serverSide.Total.Median:0.0} ms; runs started in the window, {serverSide.Summary}"));
        report.Add(new ResultRow("Many slow runs: server CPU (user + system) per completed run", serverCpu, "ms",
            Note: $"server used {serverCores:0.00} cores; the load process ({InFlight} clients + fake model) {loadCpu:0.00} ms per run, {loadCores:0.00} cores"));
        report.Add(new ResultRow("Many slow runs: peak resident memory (VmHWM)", memory.PeakMiB, "MiB", Target: "< 1024 MiB", Met: memory.PeakMiB < 1024,
            Note: $"{baseline:0} MiB before the load (warmed up), so (peak − that) ÷ in-flight = {(memory.PeakMiB - baseline) * 1024 / InFlight:0} KiB per run in flight, GC slack included"));
        report.Add(new ResultRow("Many slow runs: /health p99 during the load", health.Latency.P99, "ms", Target: "< 50 ms",
            Met: health.Failures == 0 && health.Latency.P99 < 50, Note: health.Summary));
        report.Note($"Many slow runs: {InFlight} closed-loop clients post /agent/run from a child process (`Agent.Bench slow-load`) that also hosts the fake model, " +
            $"which answers each turn {TurnTime.TotalSeconds:0} s after it arrives, a tool call first and then text. Overhead = client-observed run time − " +
            $"{modelTimePerRun.TotalSeconds:0} s. The clients' first runs are spread evenly over one run's model time, as runs arriving at random would be, " +
            $"not {InFlight} in the same instant (every later turn would then be answered in the same instant too). /health is probed from the bench process. " +
            (pinned ? "BENCH_PIN=1: server pinned to core 0 and load to core 1 with taskset." : "Not pinned: server and load share both cores (BENCH_PIN=1 pins them apart)."));
    }
}
