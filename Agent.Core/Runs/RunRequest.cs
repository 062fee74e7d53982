namespace Agent.Core.Runs;

/// <summary>An instruction and who sent it. <paramref name="Principal"/> is a key's name, never its value.</summary>
public sealed record RunRequest(string Input, string Source, string? Principal, string? ClientIp)
{
    /// <summary>Set by callers that must know the id before the run starts (async runs).</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString();
}
