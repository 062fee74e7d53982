using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Core.Policy;

/// <summary>
/// Holds a call until a person answers: the request is stored first (so it survives a restart), then the caller waits
/// for <see cref="DecideAsync"/> or for <c>Policy:ApprovalTimeout</c>, after which it is denied as <c>expired</c>. A
/// request whose run ends while waiting is closed as expired too, so nothing stays pending for a run that is gone.
/// </summary>
public sealed partial class ApprovalCoordinator(
    IApprovalStore store,
    IOptions<PolicyOptions> options,
    TimeProvider clock,
    ILogger<ApprovalCoordinator> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Waiter> _waiting = new(StringComparer.Ordinal);
    private readonly List<Action> _subscribers = [];

    public TimeSpan Timeout { get; } = TimeSpan.FromSeconds(options.Value.ApprovalTimeout);

    /// <summary>Ids of the requests some run in this process is waiting on.</summary>
    public IReadOnlyCollection<string> Waiting => [.. _waiting.Keys];

    /// <summary>Stores <paramref name="pending"/> and waits for its answer.</summary>
    public async Task<ApprovalRecord> RequestAsync(ApprovalRecord pending, ToolCallContext? context, CancellationToken cancellationToken)
    {
        await store.AddAsync(pending, CancellationToken.None);
        LogRequested(logger, pending.Id, pending.ToolName, pending.RuleId, pending.RequestId);
        return await WaitAsync(pending, context, cancellationToken);
    }

    /// <summary>Waits for an already stored request (a run resumed after a restart); an overdue one expires at once.</summary>
    public async Task<ApprovalRecord> WaitAsync(ApprovalRecord pending, ToolCallContext? context, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(context?.Publish);
        _waiting[pending.Id] = waiter;
        context?.Publish?.Invoke(ApprovalEvents.RequestedData(pending));
        var due = pending.ExpiresAt - clock.GetUtcNow();
        waiter.Timer = clock.CreateTimer(_ => _ = ExpireAsync(pending.Id), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, System.Threading.Timeout.InfiniteTimeSpan);
        Notify();

        // A decision stored before this waiter existed (e.g. while the server restarted) is not missed.
        if (await store.FindAsync(pending.Id, CancellationToken.None) is { Status: not ApprovalStatus.Pending } already)
        {
            Resolve(already);
        }
        try
        {
            return await waiter.Completion.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            var closed = await DecideAsync(pending.Id, new ApprovalVerdict(ApprovalStatus.Expired, "system", clock.GetUtcNow(),
                Comment: "The run ended (cancelled or RUN_TIMEOUT) before anyone answered."), CancellationToken.None);
            if (closed is null)
            {
                Resolve(pending);
            }
            throw;
        }
    }

    /// <summary>Records an answer and wakes the waiting run; null when the request is unknown or already decided.</summary>
    public async Task<ApprovalRecord?> DecideAsync(string id, ApprovalVerdict verdict, CancellationToken cancellationToken = default)
    {
        var decided = await store.DecideAsync(id, verdict, cancellationToken);
        if (decided is null)
        {
            return null;
        }
        LogDecided(logger, id, decided.Status, decided.DecidedBy ?? "");
        Resolve(decided);
        return decided;
    }

    /// <summary>Called whenever the set of pending requests changes (the console's badge); dispose to stop.</summary>
    public IDisposable Subscribe(Action changed)
    {
        lock (_subscribers)
        {
            _subscribers.Add(changed);
        }
        return new Subscription(() =>
        {
            lock (_subscribers)
            {
                _subscribers.Remove(changed);
            }
        });
    }

    private Task<ApprovalRecord?> ExpireAsync(string id) =>
        DecideAsync(id, new ApprovalVerdict(ApprovalStatus.Expired, "system", clock.GetUtcNow(),
            Comment: $"No one answered within {Timeout.TotalSeconds:0} s (Policy:ApprovalTimeout)."));

    private void Resolve(ApprovalRecord decided)
    {
        if (_waiting.TryRemove(decided.Id, out var waiter))
        {
            waiter.Timer?.Dispose();
            if (decided.Status != ApprovalStatus.Pending)
            {
                waiter.Publish?.Invoke(ApprovalEvents.DecidedData(decided));
            }
            waiter.Completion.TrySetResult(decided);
        }
        Notify();
    }

    private void Notify()
    {
        Action[] subscribers;
        lock (_subscribers)
        {
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber();
            }
            catch (Exception ex)
            {
                // A console page that failed must not stop the run or the other pages.
                LogSubscriberFailed(logger, ex);
            }
        }
    }

    public void Dispose()
    {
        foreach (var waiter in _waiting.Values)
        {
            waiter.Timer?.Dispose();
        }
    }

    private sealed class Waiter(Action<Runs.RunEventData>? publish)
    {
        public Action<Runs.RunEventData>? Publish { get; } = publish;
        public TaskCompletionSource<ApprovalRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ITimer? Timer { get; set; }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Approval {ApprovalId} requested for {ToolName} by rule {RuleId} in run {RunId}")]
    private static partial void LogRequested(ILogger logger, string approvalId, string toolName, string ruleId, string runId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Approval {ApprovalId} {Status} by {DecidedBy}")]
    private static partial void LogDecided(ILogger logger, string approvalId, string status, string decidedBy);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "An approvals subscriber failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}
