using System.Runtime.CompilerServices;
using Agent.Core.Runs;

namespace Agent.Web.Runs;

/// <summary>
/// A run this process started: its events so far (for replay from the start), its result once finished,
/// and the token that cancels it. It is the runner's event sink for this run: each event is kept here first and then
/// passed to <paramref name="crossRun"/> (the broker feeding SignalR and the dashboards). The history is bounded in
/// bytes: past <paramref name="maxHistoryBytes"/>, events keep only their short fields, and when even those no longer
/// fit they are left out (the audit keeps everything).
/// </summary>
public sealed class TrackedRun(RunRequest request, DateTimeOffset createdAt, long maxHistoryBytes, IRunEventSink? crossRun = null) : IRunEventSink
{
    private readonly List<RunEvent> _events = [];
    private readonly CancellationTokenSource _cancellation = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunRequest Request { get; } = request;

    public string Id => Request.RunId;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public RunResult? Result { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string Status => Result?.Status ?? (_awaitingApprovals > 0 ? AwaitingApproval : RunStatus.Running);

    /// <summary>The live status of a run paused until a person answers an approval request.</summary>
    public const string AwaitingApproval = Agent.Core.Policy.ApprovalEvents.AwaitingApproval;

    private int _awaitingApprovals;

    public CancellationToken CancellationToken => _cancellation.Token;

    public bool IsFinished => Result is not null;

    public IReadOnlyList<RunEvent> Events
    {
        get { lock (_events) { return _events.ToArray(); } }
    }

    /// <summary>Bytes the kept event history takes on the wire (close to what it holds in memory).</summary>
    public long HistoryBytes { get; private set; }

    /// <summary>Events left out of the history entirely because it was full.</summary>
    public int OmittedEvents { get; private set; }

    /// <summary>The history plus the final result: what keeping this run in memory costs, in bytes.</summary>
    public long RetainedBytes => HistoryBytes + ResultBytes;

    private long ResultBytes { get; set; }

    /// <summary>The full size of the tool_started and tool_completed events: the calls' inputs and outputs, which the result holds too.</summary>
    private long _executionBytes;

    /// <summary>The key that started the run (its name), or null for an anonymous caller.</summary>
    public string? Owner => Request.Principal;

    /// <summary>Cancels the run; <paramref name="by"/> names who did, and ends up in the run's error and audit row.</summary>
    public void Cancel(string by)
    {
        if (!IsFinished)
        {
            Request.Cancellation.Record(by);
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Finished meanwhile: nothing left to cancel.
            }
        }
    }

    /// <summary>Keeps the event for this run's followers, then hands it to the cross-run listeners.</summary>
    public void Publish(RunEvent runEvent)
    {
        Append(runEvent);
        crossRun?.Publish(runEvent);
    }

    internal void Append(RunEvent runEvent)
    {
        // The status follows the approval events as they pass, before any shortening of the history.
        if (runEvent.Data is ApprovalRequestedData)
        {
            Interlocked.Increment(ref _awaitingApprovals);
        }
        else if (runEvent.Data is ApprovalDecidedData)
        {
            Interlocked.Decrement(ref _awaitingApprovals);
        }
        // The event's wire bytes, written once here and reused by every reader of the history, SSE and SignalR.
        long size = runEvent.Json.Length;
        lock (_events)
        {
            if (runEvent.Data is ToolStartedData or ToolCompletedData)
            {
                _executionBytes += runEvent.DataBytes;
            }
            if (HistoryBytes + size > maxHistoryBytes)
            {
                runEvent = runEvent.WithData(runEvent.Data.Shorten(runEvent.DataBytes));
                size = runEvent.Json.Length;
                // The end of the run is always kept: readers of the history stop there.
                if (HistoryBytes + size > maxHistoryBytes && runEvent.Data is not RunFinishedData)
                {
                    OmittedEvents++;
                    return;
                }
            }
            _events.Add(runEvent);
            HistoryBytes += size;
            Signal();
        }
    }

    internal void Complete(RunResult result, DateTimeOffset finishedAt)
    {
        lock (_events)
        {
            // Counted from what the run's events already measured (each call's input and output), not by serialising
            // the whole result once more: this only bounds memory, and every run pays for it.
            Result = result;
            ResultBytes = ResultEnvelopeBytes + _executionBytes + Utf8Bytes(result.Output) + Utf8Bytes(result.Error);
            FinishedAt = finishedAt;
            Signal();
        }
        _cancellation.Dispose();
    }

    /// <summary>A result's ids, status, timestamps and field names, roughly, as they go on the wire.</summary>
    private const int ResultEnvelopeBytes = 200;

    private static long Utf8Bytes(string? text) => text is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(text);

    /// <summary>Every event from the first, then live ones, ending after <c>run_finished</c>.</summary>
    public async IAsyncEnumerable<RunEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = 0;
        while (true)
        {
            RunEvent[] batch;
            Task changed;
            bool finished;
            lock (_events)
            {
                batch = _events.Skip(next).ToArray();
                changed = _changed.Task;
                finished = IsFinished;
            }
            foreach (var runEvent in batch)
            {
                yield return runEvent;
                if (runEvent.Data is RunFinishedData)
                {
                    yield break;
                }
            }
            next += batch.Length;
            if (finished)
            {
                yield break;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
