using Agent.Core.Configuration;

namespace Agent.Web.Runs;

/// <summary>
/// Finished runs kept in memory for status and replay, in the order they finished. The oldest are forgotten first
/// once there are too many, they take too many bytes together, or they are too old; the audit keeps them for good.
/// Each call costs only the runs it forgets.
/// </summary>
public sealed class FinishedRuns(RunLimitsOptions limits, TimeProvider clock)
{
    private readonly Queue<TrackedRun> _runs = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public int Count
    {
        get { lock (_lock) { return _runs.Count; } }
    }

    /// <summary>Bytes held by the kept finished runs' histories and results.</summary>
    public long Bytes
    {
        get { lock (_lock) { return _bytes; } }
    }

    /// <summary>Keeps a run that has just finished; returns the runs to forget to stay within the bounds.</summary>
    public IReadOnlyList<TrackedRun> Add(TrackedRun run)
    {
        lock (_lock)
        {
            _runs.Enqueue(run);
            _bytes += run.RetainedBytes;
            return Evict();
        }
    }

    /// <summary>The runs that have outlived <see cref="RunLimitsOptions.FinishedRunMinutes"/> (or any other bound).</summary>
    public IReadOnlyList<TrackedRun> Expire()
    {
        lock (_lock)
        {
            return Evict();
        }
    }

    private List<TrackedRun> Evict()
    {
        var cutoff = clock.GetUtcNow() - TimeSpan.FromMinutes(limits.FinishedRunMinutes);
        List<TrackedRun> forgotten = [];
        while (_runs.TryPeek(out var oldest)
            && (_runs.Count > limits.MaxFinishedRuns || _bytes > limits.MaxFinishedRunsBytes || oldest.FinishedAt <= cutoff))
        {
            _runs.Dequeue();
            _bytes -= oldest.RetainedBytes;
            forgotten.Add(oldest);
        }
        return forgotten;
    }
}
