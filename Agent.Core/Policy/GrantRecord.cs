namespace Agent.Core.Policy;

/// <summary>
/// Row of <c>grants</c>: an approval remembered beyond one call. Calls to the same tool decided by the same rule are
/// allowed without asking until <see cref="ExpiresAt"/> or revocation; <c>run</c> grants hold within one run,
/// <c>key</c> grants for one key, <c>everyone</c> grants for all.
/// </summary>
public sealed class GrantRecord
{
    public required string Id { get; set; }
    public required string ApprovalId { get; set; }
    public required string ToolName { get; set; }
    public required string RuleId { get; set; }
    public required string Scope { get; set; }

    /// <summary>The run a <c>run</c> grant belongs to.</summary>
    public string? RequestId { get; set; }

    /// <summary>The key name a <c>key</c> grant belongs to.</summary>
    public string? Principal { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    public bool ActiveAt(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;

    /// <summary>Whether this grant covers a call by <paramref name="principal"/> in run <paramref name="runId"/>.</summary>
    public bool Covers(string toolName, string ruleId, string runId, string? principal) =>
        ToolName == toolName && RuleId == ruleId && Scope switch
        {
            "run" => RequestId == runId,
            "key" => principal is not null && Principal == principal,
            "everyone" => true,
            _ => false,
        };
}
