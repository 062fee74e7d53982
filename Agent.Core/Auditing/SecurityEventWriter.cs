using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Core.Auditing;

/// <summary>
/// Queues security events and appends them to the audit chain in batches. Rejections come from unauthenticated
/// callers and can arrive as a flood, so the request never waits for a disk write and the queue is bounded: when it
/// overflows, the count of lost events is itself recorded as an <see cref="SecurityEventReasons.EventsDropped"/> event.
/// </summary>
public sealed partial class SecurityEventWriter(AuditChain chain, TimeProvider clock, ILogger<SecurityEventWriter> logger)
    : BackgroundService, ISecurityEventWriter
{
    public const int QueueCapacity = 10_000;
    private const int BatchSize = 500;
    private const int MaxRouteLength = 2048;

    private readonly Channel<SecurityEvent> _queue = Channel.CreateBounded<SecurityEvent>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private long _dropped;

    public void Record(SecurityEvent securityEvent)
    {
        if (!_queue.Writer.TryWrite(securityEvent))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteBatchAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is already queued is written below.
        }
        while (_queue.Reader.TryPeek(out _))
        {
            await WriteBatchAsync();
        }
    }

    private async Task WriteBatchAsync()
    {
        var batch = new List<SecurityEvent>(BatchSize);
        while (batch.Count < BatchSize && _queue.Reader.TryRead(out var next))
        {
            batch.Add(next);
        }
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            LogDropped(logger, dropped);
            batch.Add(new SecurityEvent(clock.GetUtcNow(), 0, SecurityEventReasons.EventsDropped, "-", $"{dropped} event(s) not recorded: queue full", null, null));
        }
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await chain.AppendAsync(async append =>
            {
                foreach (var e in batch)
                {
                    await append.AddSecurityEventAsync(new SecurityEventRecord
                    {
                        CreatedAt = e.At,
                        StatusCode = e.StatusCode,
                        Reason = e.Reason,
                        Method = e.Method,
                        Route = e.Route.Length > MaxRouteLength ? e.Route[..MaxRouteLength] : e.Route,
                        ClientIp = e.ClientIp,
                        Principal = e.Principal,
                    });
                }
                return batch.Count;
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWriteFailed(logger, ex, batch.Count);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Security event queue full: {Count} event(s) were not recorded")]
    private static partial void LogDropped(ILogger logger, long count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Could not write {Count} security event(s) to the audit database")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
