using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// Figures 1 and 5: /agent/run throughput and latency for a one-tool run with full auditing, next to a bare minimal API
/// under the same load; start-up time and resident memory idle and under that load.
/// </summary>
public static class AgentRunBenchmark
{
    public static async Task RunAsync(BenchContext context, Report report, TimeSpan perLevel, double rawLimit)
    {
        Console.WriteLine("== 1/5: bare minimal API (baseline)");
        var (bareSweep, bareCost, bareStartup, bareIdle, bareLoaded) = await MeasureAsync(context, perLevel, StartBaselineAsync);

        Console.WriteLine("== 1/5: agent /agent/run, one list_dir over 100 entries, full auditing");
        var (agentSweep, agentCost, agentStartup, agentIdle, agentLoaded) = await MeasureAsync(context, perLevel, StartAgentAsync);

        var agentBest = LoadSweep.Saturating(agentSweep);
        var bareBest = LoadSweep.Saturating(bareSweep);
        var agentMax = agentSweep.Max(r => r.RequestsPerSecond);
        var bareMax = bareSweep.Max(r => r.RequestsPerSecond);
        report.Add(new ResultRow("Agent run throughput (best of c=1,4,16,64)", agentMax, "req/s", bareMax, "bare minimal API",
            "≥ 25 % of bare", agentMax >= 0.25 * bareMax, $"saturates at c={agentBest.Connections}; bare at c={bareBest.Connections}"));
        report.Add(new ResultRow($"Agent run p50 at saturating c={agentBest.Connections}", agentBest.P50Ms, "ms",
            bareSweep.First(r => r.Connections == agentBest.Connections).P50Ms, "bare, same c"));
        report.Add(new ResultRow($"Agent run p99 at saturating c={agentBest.Connections}", agentBest.P99Ms, "ms",
            bareSweep.First(r => r.Connections == agentBest.Connections).P99Ms, "bare, same c", "< 20 ms", agentBest.P99Ms < 20));
        foreach (var level in agentSweep)
        {
            var bare = bareSweep.First(r => r.Connections == level.Connections);
            report.Add(new ResultRow($"Agent run c={level.Connections}", level.RequestsPerSecond, "req/s", bare.RequestsPerSecond, "bare, same c",
                Note: level.Summary.Requests == 0
                    ? $"no request completed within {perLevel.TotalSeconds:0} s; errors {level.Errors}"
                    : $"p50 {level.P50Ms:0.0} / p99 {level.P99Ms:0.0} ms vs bare {bare.P50Ms:0.00} / {bare.P99Ms:0.00} ms; errors {level.Errors}"));
        }
        foreach (var connections in new[] { 1, 64 })
        {
            // CPU and disk writes per run do not depend on what else loads the machine the way throughput does.
            report.Add(new ResultRow($"Agent run server CPU (user + system) per run, c={connections}", agentCost[connections].CpuMs, "ms",
                bareCost[connections].CpuMs, "bare, same c, per request", Note: "/proc/<pid>/stat over the level ÷ requests answered"));
            report.Add(new ResultRow($"Agent run disk writes per run, c={connections}", agentCost[connections].WrittenKiB, "KiB",
                Note: "/proc/<pid>/io write_bytes over the level ÷ requests answered (WAL frames, checkpoints)"));
        }
        if (agentSweep.Any(r => r.Errors > 0))
        {
            report.Note("wrk counted errors (non-2xx, timeouts or socket errors) during agent load; see the per-level rows.");
        }

        var at64 = agentSweep.First(r => r.Connections == 64);
        report.Add(new ResultRow("Agent run c=64 against the raw limit", at64.RequestsPerSecond, "req/s", rawLimit, "raw limit (runs/s)",
            "≥ 50 % of raw limit", at64.RequestsPerSecond >= 0.5 * rawLimit, "one run = five chained audit entries"));
        var at1 = agentSweep.First(r => r.Connections == 1);
        report.Add(new ResultRow("Agent run p50 at c=1", at1.P50Ms, "ms", bareSweep.First(r => r.Connections == 1).P50Ms, "bare, same c",
            "≤ 2 ms", at1.P50Ms <= 2, $"{at1.RequestsPerSecond:0} req/s; synchronous=FULL, so each run waits for at least one fsync"));

        Console.WriteLine("== 1b: agent /agent/run with AUDIT_SYNCHRONOUS=normal (no fsync per commit)");
        await using (var normal = await StartAgentAsync(context, new Dictionary<string, string> { ["AUDIT_SYNCHRONOUS"] = "normal" }))
        {
            await Wrk.RunAsync(context, normal.BaseAddress, 4, LoadSweep.WarmUp);
            foreach (var connections in new[] { 1, 64 })
            {
                var level = await Wrk.RunAsync(context, normal.BaseAddress, connections, perLevel);
                Console.WriteLine($"   c={connections,-3} {level.RequestsPerSecond,8:0} req/s  p50 {level.P50Ms,7:0.00} ms  p99 {level.P99Ms,7:0.00} ms  errors {level.Errors}");
                report.Add(new ResultRow($"Agent run c={connections}, AUDIT_SYNCHRONOUS=normal", level.RequestsPerSecond, "req/s",
                    Note: $"p50 {level.P50Ms:0.00} / p99 {level.P99Ms:0.0} ms; errors {level.Errors}"));
            }
        }

        report.Add(new ResultRow("Start-up to healthy /health", agentStartup.TotalMilliseconds, "ms", bareStartup.TotalMilliseconds, "bare minimal API"));
        report.Add(new ResultRow("Working set idle (VmRSS after start-up and one run)", agentIdle.RssMiB, "MiB", bareIdle.RssMiB, "bare minimal API",
            "< 200 MiB", agentIdle.RssMiB < 200));
        report.Add(new ResultRow("Peak working set under load (VmHWM)", agentLoaded.PeakMiB, "MiB", bareLoaded.PeakMiB, "bare minimal API"));
    }

    private static async Task<(IReadOnlyList<WrkResult> Sweep, IReadOnlyDictionary<int, RunCost> Costs, TimeSpan Startup, MemorySample Idle, MemorySample Loaded)> MeasureAsync(
        BenchContext context, TimeSpan perLevel, Func<BenchContext, Task<AgentProcess>> start)
    {
        await using var server = await start(context);
        // Idle means started and settled, before any load: what an operator sees after boot.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idle = server.Memory();
        Console.WriteLine($"   started in {server.StartupTime.TotalMilliseconds:0} ms, idle RSS {idle.RssMiB:0.0} MiB");
        var (sweep, cpu) = await LoadSweep.RunAsync(context, server, perLevel);
        var loaded = server.Memory();
        return (sweep, cpu, server.StartupTime, idle, loaded);
    }

    private static Task<AgentProcess> StartBaselineAsync(BenchContext context) =>
        context.StartServerAsync(context.BaselineDll, new Dictionary<string, string>(), "baseline.log");

    private static Task<AgentProcess> StartAgentAsync(BenchContext context) => StartAgentAsync(context, new Dictionary<string, string>());

    private static async Task<AgentProcess> StartAgentAsync(BenchContext context, Dictionary<string, string> settings)
    {
        var workspace = Workspaces.CreateWithEntries(context, "run-workspace");
        var data = context.NewDirectory("run-data");
        var environment = context.AgentEnvironment(workspace, Path.Combine(data, "agent.db"));
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
        var server = await context.StartServerAsync(context.AgentDll, environment, "agent-run.log");
        await VerifyOneRunAsync(server);
        return server;
    }

    /// <summary>Load is only meaningful if the run does what it should: one successful list_dir.</summary>
    private static async Task VerifyOneRunAsync(AgentProcess server)
    {
        using var client = AgentClient.Create(server.BaseAddress);
        var reply = await AgentClient.RunAsync(client, AgentClient.ListFiles);
        if (reply is not { HttpStatus: 200, Status: "success", ToolExecutions: 1 })
        {
            throw new InvalidOperationException($"The benchmark run did not succeed with one tool execution: {reply}");
        }
    }
}
