using Agent.Bench.Infrastructure;

namespace Agent.Bench.Benchmarks;

/// <summary>wrk at increasing concurrency against one server, after a warm-up that gets the JIT out of the way.</summary>
public static class LoadSweep
{
    public static readonly int[] Concurrency = [1, 4, 16, 64];

    public static async Task<IReadOnlyList<WrkResult>> RunAsync(BenchContext context, AgentProcess server, TimeSpan perLevel)
    {
        await Wrk.RunAsync(context, server.BaseAddress, 4, TimeSpan.FromSeconds(2));
        var results = new List<WrkResult>();
        foreach (var connections in Concurrency)
        {
            var result = await Wrk.RunAsync(context, server.BaseAddress, connections, perLevel);
            Console.WriteLine($"   c={connections,-3} {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms,7:0.00} ms  p99 {result.P99Ms,7:0.00} ms  errors {result.Errors}");
            results.Add(result);
        }
        return results;
    }

    /// <summary>The lowest concurrency that reaches 90 % of the best throughput: more connections only add queueing.</summary>
    public static WrkResult Saturating(IReadOnlyList<WrkResult> results)
    {
        var best = results.Max(r => r.RequestsPerSecond);
        return results.First(r => r.RequestsPerSecond >= 0.9 * best);
    }
}
