namespace Agent.Core.Policy;

/// <summary>Durable approval requests and the grants approvals create.</summary>
public interface IApprovalStore
{
    Task AddAsync(ApprovalRecord approval, CancellationToken cancellationToken = default);

    Task<ApprovalRecord?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Newest first; every status when <paramref name="status"/> is null.</summary>
    Task<IReadOnlyList<ApprovalRecord>> ListAsync(string? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decides a pending request and, for an approval with a wider scope than <c>once</c>, creates its grant in the same
    /// transaction. Null when the request is unknown or no longer pending: of two racing decisions, exactly one wins.
    /// </summary>
    Task<ApprovalRecord?> DecideAsync(string id, ApprovalVerdict verdict, CancellationToken cancellationToken = default);

    /// <summary>An active grant covering this call, if any.</summary>
    Task<GrantRecord?> FindCoveringGrantAsync(string toolName, string ruleId, string runId, string? principal, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    Task<GrantRecord?> FindGrantAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Newest first; only grants still in force at <paramref name="now"/> unless <paramref name="includeInactive"/>.</summary>
    Task<IReadOnlyList<GrantRecord>> ListGrantsAsync(bool includeInactive, DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Revokes a grant; null when unknown or already revoked.</summary>
    Task<GrantRecord?> RevokeGrantAsync(string id, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// A person's (or the clock's) answer. <paramref name="GrantExpiresAt"/> applies to approvals with a scope wider than
/// <c>once</c>.
/// </summary>
public sealed record ApprovalVerdict(
    string Status,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    ApprovalScope Scope = ApprovalScope.Once,
    string? Comment = null,
    DateTimeOffset? GrantExpiresAt = null);
