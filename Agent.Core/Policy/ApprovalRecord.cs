namespace Agent.Core.Policy;

/// <summary>
/// Row of <c>approvals</c>: one call held for a person. Stored before the run waits, so a pending request outlives a
/// restart; decided at most once (the update is conditional on <c>pending</c>).
/// </summary>
public sealed class ApprovalRecord
{
    public required string Id { get; set; }
    public required string RequestId { get; set; }
    public long? DecisionId { get; set; }

    /// <summary>The model's tool-call id, to find the call again when the run resumes from its audit rows.</summary>
    public string? CallId { get; set; }
    public required string ToolName { get; set; }
    public string? Input { get; set; }
    public required string RuleId { get; set; }
    public required string PolicyVersion { get; set; }
    public string? Reason { get; set; }

    /// <summary>Name of the key whose run asked; never a key value.</summary>
    public string? Principal { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Name of the deciding key, or <c>system</c> for an expiry.</summary>
    public string? DecidedBy { get; set; }
    public string? Scope { get; set; }
    public string? Comment { get; set; }
    public string? GrantId { get; set; }
}
