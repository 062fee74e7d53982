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
    /// <summary>The model that answered, as the provider named it (e.g. a dated snapshot), else the configured one.</summary>
    public string? Model { get; set; }
    /// <summary>Why the model stopped, in the provider's own words (<c>stop</c>, <c>tool_calls</c>, <c>end_turn</c>, <c>max_tokens</c>, <c>refusal</c> ...); null when it did not say.</summary>
    public string? FinishReason { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }
    public long LatencyMs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Position in the audit chain and the hash that seals this row (see <see cref="AuditChain"/>).</summary>
    public long Seq { get; set; }
    public string Hash { get; set; } = "";
}
