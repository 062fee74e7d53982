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

    /// <summary>The policy itself (and its dry-run) is an admin's business.</summary>
    public static bool MayReviewPolicy(this ClaimsPrincipal user) => user.IsAdmin();
}
