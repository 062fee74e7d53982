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

    /// <summary>Each level's wrk figures and the server's CPU (user + system) per run completed in it.</summary>
    public static async Task<(IReadOnlyList<WrkResult> Results, IReadOnlyDictionary<int, double> CpuMsPerRun)> RunAsync(
        BenchContext context, AgentProcess server, TimeSpan perLevel)
    {
        await Wrk.RunAsync(context, server.BaseAddress, 4, WarmUp);
        var results = new List<WrkResult>();
        var cpu = new Dictionary<int, double>();
        foreach (var connections in Concurrency)
        {
            var before = ProcessCpu.Read(server.Id);
            var result = await Wrk.RunAsync(context, server.BaseAddress, connections, perLevel);
            cpu[connections] = ProcessCpu.MsPerRun(before, ProcessCpu.Read(server.Id), result.Summary.Requests - result.Summary.StatusErrors);
            Console.WriteLine($"   c={connections,-3} {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms,7:0.00} ms  p99 {result.P99Ms,7:0.00} ms  " +
                $"errors {result.Errors}  server CPU {cpu[connections]:0.00} ms/request");
            results.Add(result);
        }
        return (results, cpu);
    }

    /// <summary>The lowest concurrency that reaches 90 % of the best throughput: more connections only add queueing.</summary>
    public static WrkResult Saturating(IReadOnlyList<WrkResult> results)
    {
        var best = results.Max(r => r.RequestsPerSecond);
        return results.First(r => r.RequestsPerSecond >= 0.9 * best);
    }
}
