using System.Collections.Concurrent;
using Agent.Core.Runs;

namespace Agent.Web.Runs;

/// <summary>
/// Fans run events out to in-process subscribers (console pages, the SignalR forwarder, SSE streams).
/// A subscriber gets the events of one run or of all runs; disposing the subscription stops delivery.
/// </summary>
public sealed partial class RunEventBroker(ILogger<RunEventBroker> logger) : IRunEventSink
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public void Publish(RunEvent runEvent)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.RunId is null || subscription.RunId == runEvent.RunId)
            {
                try
                {
                    subscription.Callback(runEvent);
                }
                catch (Exception ex)
                {
                    // One broken subscriber must not stop the run or the other subscribers.
                    LogSubscriberFailed(logger, ex, runEvent.RunId);
                }
            }
        }
    }

    /// <summary>Callbacks run on the publishing thread and must be quick; marshal to a UI or a channel.</summary>
    public IDisposable Subscribe(Action<RunEvent> callback, string? runId = null)
    {
        var subscription = new Subscription(this, runId, callback);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "A run event subscriber failed for run {RunId}")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string runId);

    private sealed class Subscription(RunEventBroker broker, string? runId, Action<RunEvent> callback) : IDisposable
    {
        public string? RunId { get; } = runId;
        public Action<RunEvent> Callback { get; } = callback;

        public void Dispose() => broker._subscriptions.TryRemove(this, out _);
    }
}
