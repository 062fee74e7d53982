using System.Threading.Channels;
using Agent.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Core.Auditing;

/// <summary>
/// Queues security events and appends them to the audit chain in batches. Rejections come from unauthenticated
/// callers and can arrive as a flood, so the request never waits for a disk write, identical rejections are folded
/// together (see <see cref="SecurityEventAggregator"/>) and the queue is bounded: when it overflows, the count of lost
/// events is itself recorded as an <see cref="SecurityEventReasons.EventsDropped"/> event.
/// </summary>
public sealed partial class SecurityEventWriter(
    AuditChain chain, TimeProvider clock, IOptions<LimitsOptions> limits, ILogger<SecurityEventWriter> logger)
    : BackgroundService, ISecurityEventWriter
{
    public const int QueueCapacity = 10_000;
    private const int BatchSize = 500;
    private const int MaxRouteLength = 2048;

    private readonly Channel<SecurityEvent> _queue = Channel.CreateBounded<SecurityEvent>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly SecurityEventAggregator _aggregator = new(
        TimeSpan.FromSeconds(limits.Value.SecurityEventWindowSeconds), limits.Value.SecurityEventSources);
    private long _dropped;

    public void Record(SecurityEvent securityEvent)
    {
        if (_aggregator.Admit(securityEvent))
        {
            Enqueue(securityEvent);
        }
    }

    private void Enqueue(SecurityEvent securityEvent)
    {
        if (!_queue.Writer.TryWrite(securityEvent))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var flushing = FlushWindowsAsync(stoppingToken);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteBatchAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is already queued, and every open window, is written below.
        }
        await flushing;
        foreach (var aggregate in _aggregator.Close(DateTimeOffset.MaxValue))
        {
            Enqueue(aggregate);
        }
        while (_queue.Reader.TryPeek(out _))
        {
            await WriteBatchAsync();
        }
    }

    /// <summary>Closes windows as they end, so each becomes one aggregated row shortly after.</summary>
    private async Task FlushWindowsAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Min(1000, limits.Value.SecurityEventWindowSeconds * 250));
        using var timer = new PeriodicTimer(period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var aggregate in _aggregator.Close(clock.GetUtcNow()))
                {
                    Enqueue(aggregate);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping; ExecuteAsync closes the remaining windows.
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
                        Count = e.Count,
                        WindowEnd = e.WindowEnd,
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
