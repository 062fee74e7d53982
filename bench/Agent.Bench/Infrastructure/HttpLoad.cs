using System.Collections.Concurrent;

namespace Agent.Bench.Infrastructure;

/// <summary>
/// A closed-loop .NET load generator for the fault runs, where each acknowledged run's id matters (wrk cannot keep them).
/// Workers post /agent/run until stopped; a failed request (server gone) is counted, not retried at once.
/// </summary>
public static class HttpLoad
{
    public static async Task<LoadOutcome> RunAsync(HttpClient client, int workers, CancellationToken stop)
    {
        var replies = new ConcurrentBag<RunReply>();
        long failures = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    replies.Add(await AgentClient.RunAsync(client, AgentClient.ListFiles, stop));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref failures);
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }, CancellationToken.None)));
        return new LoadOutcome([.. replies], failures);
    }
}

public sealed record LoadOutcome(IReadOnlyList<RunReply> Replies, long Failures)
{
    public IEnumerable<RunReply> Acknowledged => Replies.Where(r => r.HttpStatus == 200);

    public string StatusSummary =>
        string.Join(", ", Replies.GroupBy(r => r.HttpStatus == 200 ? $"200 {r.Status}" : r.HttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));
}
