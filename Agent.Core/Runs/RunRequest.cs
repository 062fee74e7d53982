namespace Agent.Core.Runs;

/// <summary>An instruction and who sent it. <paramref name="Principal"/> is a key's name, never its value.</summary>
public sealed record RunRequest(string Input, string Source, string? Principal, string? ClientIp)
{
    /// <summary>
    /// Set by callers that must know the id before the run starts (async runs). Time-ordered (UUIDv7, 74 random bits), so
    /// new runs land at the end of every index keyed by run id instead of on a random page each.
    /// </summary>
    public string RunId { get; init; } = Guid.CreateVersion7().ToString();

    /// <summary>Who cancelled the run, if anyone; the runner writes it into the run's error.</summary>
    public RunCancellation Cancellation { get; init; } = new();
}

/// <summary>Names who stopped a run (a key's name, never a key); the first to cancel wins.</summary>
public sealed class RunCancellation
{
    private string? _by;

    public string? By => Volatile.Read(ref _by);

    public void Record(string by) => Interlocked.CompareExchange(ref _by, by, null);
}
