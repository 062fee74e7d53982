using Agent.Bench.Infrastructure;

namespace Agent.Bench.Benchmarks;

/// <summary>wrk at increasing concurrency against one server, after a warm-up that gets the JIT out of the way.</summary>
public static class LoadSweep
{
    public static readonly int[] Concurrency = [1, 4, 16, 64];

    /// <summary>
    /// Tiered compilation keeps recompiling hot methods for tens of seconds under load (a 2 s warm-up left the JIT busy
    /// through the first levels); BENCH_WARMUP_SECONDS sets how long the server is loaded before anything is measured.
    /// </summary>
    public static TimeSpan WarmUp => TimeSpan.FromSeconds(Settings.Int("BENCH_WARMUP_SECONDS", 15));

    /// <summary>Each level's wrk figures and the server's CPU (user + system) and disk writes per run completed in it.</summary>
    public static async Task<(IReadOnlyList<WrkResult> Results, IReadOnlyDictionary<int, RunCost> Costs)> RunAsync(
        BenchContext context, AgentProcess server, TimeSpan perLevel)
    {
        await Wrk.RunAsync(context, server.BaseAddress, 4, WarmUp);
        var results = new List<WrkResult>();
        var costs = new Dictionary<int, RunCost>();
        foreach (var connections in Concurrency)
        {
            var cpu = ProcessCpu.Read(server.Id);
            var written = ProcessIo.WriteBytes(server.Id);
            var result = await Wrk.RunAsync(context, server.BaseAddress, connections, perLevel);
            var runs = result.Summary.Requests - result.Summary.StatusErrors;
            var cost = costs[connections] = new RunCost(
                ProcessCpu.MsPerRun(cpu, ProcessCpu.Read(server.Id), runs), ProcessIo.KiBPerRun(written, ProcessIo.WriteBytes(server.Id), runs));
            Console.WriteLine($"   c={connections,-3} {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms,7:0.00} ms  p99 {result.P99Ms,7:0.00} ms  " +
                $"errors {result.Errors}  server CPU {cost.CpuMs:0.00} ms, disk {cost.WrittenKiB:0.0} KiB per request");
            results.Add(result);
        }
        return (results, costs);
    }

    /// <summary>The lowest concurrency that reaches 90 % of the best throughput: more connections only add queueing.</summary>
    public static WrkResult Saturating(IReadOnlyList<WrkResult> results)
    {
        var best = results.Max(r => r.RequestsPerSecond);
        return results.First(r => r.RequestsPerSecond >= 0.9 * best);
    }
}

/// <summary>What one run cost the server over a measured window: CPU (user + system) and bytes written to storage.</summary>
public sealed record RunCost(double CpuMs, double WrittenKiB);
