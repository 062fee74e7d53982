using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agent.Core.Policy;

/// <summary>
/// Why one execution ran or did not, as stored in <c>tool_executions.policy</c> (inside the hash chain) and returned as
/// <c>tool_executions[].policy</c>: the deciding rule, its effect, the policy version, and for an ask the approval or
/// the grant that answered it.
/// </summary>
public sealed record ExecutionPolicy(
    string Rule,
    string Effect,
    string Version,
    string? Reason = null,
    ExecutionApproval? Approval = null,
    ExecutionGrant? Grant = null)
{
    public static ExecutionPolicy From(PolicyDecision decision) => new(decision.RuleId, decision.Effect.ToWire(), decision.Version, decision.Reason);

    public string ToJson() => JsonSerializer.Serialize(this, JsonDefaults.Compact);

    /// <summary>Null for rows written before policies existed (or unreadable text).</summary>
    public static ExecutionPolicy? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ExecutionPolicy>(json, JsonDefaults.Compact);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Who answered an ask, when, how far the answer reaches, and what they said.</summary>
public sealed record ExecutionApproval(
    string Id,
    string Status,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Scope,
    string? Comment)
{
    public static ExecutionApproval From(ApprovalRecord approval) =>
        new(approval.Id, approval.Status, approval.DecidedBy, approval.DecidedAt, approval.Scope, approval.Comment);
}

/// <summary>The remembered approval that let a call through without asking.</summary>
public sealed record ExecutionGrant(
    string Id,
    string Scope,
    [property: JsonPropertyName("granted_by")] string GrantedBy,
    DateTimeOffset ExpiresAt)
{
    public static ExecutionGrant From(GrantRecord grant) => new(grant.Id, grant.Scope, grant.CreatedBy, grant.ExpiresAt);
}
