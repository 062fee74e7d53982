using System.Diagnostics;

namespace Agent.Bench.Infrastructure;

/// <summary>Polls GET /health on its own connection while something else loads the server: is it still answering, and how fast.</summary>
public static class HealthProbe
{
    public static async Task<HealthProbeResult> RunAsync(Uri baseAddress, TimeSpan interval, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var latencies = new List<double>();
        var failures = 0;
        // The first call pays for the connection and JIT; it says nothing about the server's load.
        using (await client.GetAsync("health", CancellationToken.None))
        {
        }
        while (!stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync("health", CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                else
                {
                    failures++;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failures++;
            }
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return new HealthProbeResult(new Percentiles(latencies), failures);
    }
}

public sealed record HealthProbeResult(Percentiles Latency, int Failures)
{
    public string Summary => $"{Latency.Count} ok, {Failures} failed, p50 {Latency.Median:0.0} ms, p99 {Latency.P99:0.0} ms, max {Latency.Max:0.0} ms";
}
