using System.Threading.Channels;
using Agent.Core.Runs;
using Microsoft.AspNetCore.SignalR;

namespace Agent.Web.Runs;

/// <summary>
/// Forwards run events to SignalR groups. A single reader keeps each run's events in order;
/// the broker's callback only enqueues, so a slow client never slows a run.
/// </summary>
public sealed partial class RunEventForwarder(RunEventBroker broker, IHubContext<RunsHub> hub, ILogger<RunEventForwarder> logger) : BackgroundService
{
    private readonly Channel<RunEvent> _queue = Channel.CreateUnbounded<RunEvent>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = broker.Subscribe(e => _queue.Writer.TryWrite(e));
        await foreach (var runEvent in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                // The event's cached JSON is what the hub protocol writes as the argument: nothing is serialised again.
                await hub.Clients.Groups(RunsHub.AllRunsGroup, RunsHub.RunGroup(runEvent.RunId))
                    .SendAsync(RunsHub.EventMethod, runEvent, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogForwardFailed(logger, ex, runEvent.RunId);
            }
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Could not forward an event of run {RunId} to SignalR")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, string runId);
}
