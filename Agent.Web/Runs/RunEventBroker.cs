using System.Collections.Concurrent;
using Agent.Core.Runs;

namespace Agent.Web.Runs;

/// <summary>
/// Fans the events of all runs out to the cross-run listeners (the SignalR forwarder, the dashboard and audit pages).
/// A run's own followers (SSE, its console page, status) read its <see cref="TrackedRun"/>, which receives its events
/// first and passes them on here. Disposing a subscription stops delivery.
/// </summary>
public sealed partial class RunEventBroker(ILogger<RunEventBroker> logger) : IRunEventSink
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public void Publish(RunEvent runEvent)
    {
        foreach (var subscription in _subscriptions.Keys)
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

    /// <summary>Callbacks run on the publishing thread and must be quick; marshal to a UI or a channel.</summary>
    public IDisposable Subscribe(Action<RunEvent> callback)
    {
        var subscription = new Subscription(this, callback);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "A run event subscriber failed for run {RunId}")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string runId);

    private sealed class Subscription(RunEventBroker broker, Action<RunEvent> callback) : IDisposable
    {
        public Action<RunEvent> Callback { get; } = callback;

        public void Dispose() => broker._subscriptions.TryRemove(this, out _);
    }
}
