namespace Agent.Core.Auditing;

/// <summary>Row of <c>tool_executions</c>: one tool call and its outcome, refusals included.</summary>
public sealed class ToolExecutionRecord
{
    public long Id { get; set; }
    public required string RequestId { get; set; }
    public long? DecisionId { get; set; }
    public required string ToolName { get; set; }
    public string? Input { get; set; }
    public string? Output { get; set; }
    public required string Status { get; set; }
    public string? Error { get; set; }
    public long DurationMs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Why the call ran or not (rule, effect, policy version, approval or grant) as JSON; null on rows from before policies.</summary>
    public string? Policy { get; set; }

    /// <summary>Position in the audit chain and the hash that seals this row (see <see cref="AuditChain"/>).</summary>
    public long Seq { get; set; }
    public string Hash { get; set; } = "";
}
