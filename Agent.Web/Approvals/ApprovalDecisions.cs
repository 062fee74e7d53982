using Agent.Core.Policy;
using Microsoft.Extensions.Options;

namespace Agent.Web.Approvals;

/// <summary>
/// Turns an operator's approve or deny into a verdict, checking the scope, the grant lifetime and the comment; one place
/// for the API and the console so both refuse the same things the same way.
/// </summary>
public sealed class ApprovalDecisions(ApprovalCoordinator approvals, IOptions<PolicyOptions> options, TimeProvider clock)
{
    public const int MaxCommentLength = 1000;

    public enum Outcome
    {
        Decided,
        NotFound,
        AlreadyDecided,
        Invalid,
    }

    public async Task<(Outcome Outcome, ApprovalRecord? Approval, string? Problem)> DecideAsync(
        string id, bool approve, ApprovalDecisionRequest? request, string decidedBy, IApprovalStore store, CancellationToken cancellationToken)
    {
        var policy = options.Value;
        if (!ApprovalScopes.TryParse(request?.Scope, out var scope))
        {
            return (Outcome.Invalid, null, $"scope: '{request?.Scope}' is not one of once, run, key, everyone");
        }
        if (request?.ExpiresInMinutes is { } minutes && (minutes < 1 || minutes > policy.MaxGrantMinutes))
        {
            return (Outcome.Invalid, null, $"expires_in_minutes: must be between 1 and {policy.MaxGrantMinutes} (Policy:MaxGrantMinutes)");
        }
        if (request?.Comment is { Length: > MaxCommentLength })
        {
            return (Outcome.Invalid, null, $"comment: at most {MaxCommentLength} characters");
        }
        if (!approve && (request?.Scope is not null || request?.ExpiresInMinutes is not null))
        {
            return (Outcome.Invalid, null, "scope and expires_in_minutes apply to approve only");
        }

        var now = clock.GetUtcNow();
        var verdict = new ApprovalVerdict(approve ? ApprovalStatus.Approved : ApprovalStatus.Denied, decidedBy, now,
            approve ? scope : ApprovalScope.Once, string.IsNullOrWhiteSpace(request?.Comment) ? null : request.Comment.Trim(),
            approve && scope != ApprovalScope.Once ? now.AddMinutes(request?.ExpiresInMinutes ?? policy.DefaultGrantMinutes) : null);
        if (await approvals.DecideAsync(id, verdict, cancellationToken) is { } decided)
        {
            return (Outcome.Decided, decided, null);
        }
        return await store.FindAsync(id, cancellationToken) is { } existing
            ? (Outcome.AlreadyDecided, existing, $"Approval '{id}' is already {existing.Status}")
            : (Outcome.NotFound, null, $"Approval '{id}' not found");
    }
}
