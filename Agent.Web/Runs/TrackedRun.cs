using System.Runtime.CompilerServices;
using Agent.Core.Runs;

namespace Agent.Web.Runs;

/// <summary>
/// A run this process started: its events so far (for replay from the start), its result once finished,
/// and the token that cancels it.
/// </summary>
public sealed class TrackedRun(RunRequest request, DateTimeOffset createdAt)
{
    private readonly List<RunEvent> _events = [];
    private readonly CancellationTokenSource _cancellation = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunRequest Request { get; } = request;

    public string Id => Request.RunId;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public RunResult? Result { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public string Status => Result?.Status ?? RunStatus.Running;

    public CancellationToken CancellationToken => _cancellation.Token;

    public bool IsFinished => Result is not null;

    public IReadOnlyList<RunEvent> Events
    {
        get { lock (_events) { return _events.ToArray(); } }
    }

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

    internal void Append(RunEvent runEvent)
    {
        lock (_events)
        {
            _events.Add(runEvent);
            Signal();
        }
    }

    internal void Complete(RunResult result, DateTimeOffset finishedAt)
    {
        lock (_events)
        {
            Result = result;
            FinishedAt = finishedAt;
            Signal();
        }
        _cancellation.Dispose();
    }

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
                if (runEvent.Type == RunEventTypes.RunFinished)
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
