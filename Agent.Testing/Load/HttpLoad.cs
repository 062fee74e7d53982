using System.Collections.Concurrent;

namespace Agent.Testing;

/// <summary>
/// A closed-loop load generator for fault runs, where each acknowledged run's id matters (wrk cannot keep them).
/// Workers post /agent/run until stopped, worker w's i-th run taking input (w + i) mod the inputs; a failed request
/// (server gone) is counted, not retried at once.
/// </summary>
public sealed class HttpLoad
{
    private readonly ConcurrentBag<RunReply> _replies = [];
    private readonly Task _workers;
    private long _failures;
    private long _acknowledged;

    private HttpLoad(HttpClient client, int workers, IReadOnlyList<string> inputs, CancellationToken stop)
    {
        _workers = Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var reply = await AgentRuns.PostAsync(client, inputs[(worker + i) % inputs.Count], stop);
                    _replies.Add(reply);
                    if (reply.HttpStatus == 200)
                    {
                        Interlocked.Increment(ref _acknowledged);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    Interlocked.Increment(ref _failures);
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }, CancellationToken.None)));
    }

    /// <summary>Runs answered 200 so far.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Starts the workers; they stop when <paramref name="stop"/> is cancelled, and <see cref="CompletedAsync"/> then has the outcome.</summary>
    public static HttpLoad Start(HttpClient client, int workers, IReadOnlyList<string> inputs, CancellationToken stop) => new(client, workers, inputs, stop);

    public static Task<LoadOutcome> RunAsync(HttpClient client, int workers, IReadOnlyList<string> inputs, CancellationToken stop) =>
        Start(client, workers, inputs, stop).CompletedAsync();

    public async Task<LoadOutcome> CompletedAsync()
    {
        await _workers;
        return new LoadOutcome([.. _replies], Interlocked.Read(ref _failures));
    }
}

public sealed record LoadOutcome(IReadOnlyList<RunReply> Replies, long Failures)
{
    public IEnumerable<RunReply> Acknowledged => Replies.Where(r => r.HttpStatus == 200);

    public string StatusSummary =>
        string.Join(", ", Replies.GroupBy(r => r.HttpStatus == 200 ? $"200 {r.Status}" : r.HttpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));
}
