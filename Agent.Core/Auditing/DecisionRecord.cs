namespace Agent.Core.Auditing;

/// <summary>Row of <c>decisions</c>: one LLM turn, what it reasoned and which tools it chose.</summary>
public sealed class DecisionRecord
{
    public long Id { get; set; }
    public required string RequestId { get; set; }
    public int Step { get; set; }
    public string? Reasoning { get; set; }
    /// <summary>JSON array of <c>{"id","name","arguments"}</c>.</summary>
    public required string SelectedTools { get; set; }
    public string? Model { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }
    public long LatencyMs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Position in the audit chain and the hash that seals this row (see <see cref="AuditChain"/>).</summary>
    public long Seq { get; set; }
    public string Hash { get; set; } = "";
}
