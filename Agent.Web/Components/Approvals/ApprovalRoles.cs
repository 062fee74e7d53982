using System.Security.Claims;
using Agent.Core.Configuration;
using Agent.Web.Security;

namespace Agent.Web.Components.Approvals;

/// <summary>Who answers approval requests in the console and who edits policy: one rule for every page and button.</summary>
public static class ApprovalRoles
{
    /// <summary>The key role that answers approvals without being an admin.</summary>
    public const string Operator = "operator";

    /// <summary>Admins and operators approve or deny waiting calls and revoke grants; runners and auditors only look.</summary>
    public static bool MayDecide(this ClaimsPrincipal user) => user.Role() is KeyRoleNames.Admin or Operator;

    /// <summary>Security-event reason of an operator approving its own key's request (the API's separation of duties).</summary>
    public const string OwnRequestReason = "own_request";

    /// <summary>
    /// Separation of duties, as in the API: an operator never approves a call its own key's run asked for (it may deny
    /// it); an admin may, so a single-key setup keeps working.
    /// </summary>
    public static bool MayApprove(this ClaimsPrincipal user, string? askedBy) =>
        user.IsAdmin() || (user.MayDecide() && (askedBy is null || askedBy != user.Name()));

    /// <summary>The policy itself (and its dry-run) is an admin's business.</summary>
    public static bool MayReviewPolicy(this ClaimsPrincipal user) => user.IsAdmin();
}
