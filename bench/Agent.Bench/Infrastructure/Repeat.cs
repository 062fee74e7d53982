using System.Diagnostics;

namespace Agent.Bench.Infrastructure;

public static class Repeat
{
    /// <summary>
    /// Times an operation after <paramref name="warmUp"/> untimed calls, <paramref name="times"/> times or until
    /// <paramref name="budget"/> is spent (at least 3 samples), so one slow query cannot blow the run's time limit.
    /// </summary>
    public static async Task<Percentiles> TimeAsync(Func<Task> operation, int times, TimeSpan budget, int warmUp = 2)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await operation();
        }
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (samples.Count < times && (samples.Count < 3 || total.Elapsed < budget))
        {
            var start = Stopwatch.GetTimestamp();
            await operation();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return new Percentiles(samples);
    }
}
