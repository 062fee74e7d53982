using System.Security.Claims;

namespace Agent.Web.Security;

/// <summary>The claims a principal carries: the key's name and role, its stamp, and for a console session its id.</summary>
public static class AgentClaims
{
    public const string KeyStamp = "key_stamp";
    public const string SessionId = "sid";

    public static string? Name(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.Name) : null;

    public static string? Role(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.Role) : null;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.Role() == KeyRoleNames.Admin;

    /// <summary>Admins see every run; a runner only the runs its own key started.</summary>
    public static bool MaySee(this ClaimsPrincipal user, string? owner) =>
        user.IsAdmin() || (user.Role() == KeyRoleNames.Runner && owner is not null && owner == user.Name());

    /// <summary>
    /// Following a live run (status, SSE, hub): whoever may see it, and an operator key while the run awaits an approval,
    /// so the approver can judge the request in its run's context.
    /// </summary>
    public static bool MayFollow(this ClaimsPrincipal user, string? owner, bool awaitingApproval) =>
        user.MaySee(owner) || (awaitingApproval && user.Role() == KeyRoleNames.Operator);

    /// <summary>Cancelling follows seeing: admins any run, a runner its own, an auditor none (the API's and the console's rule).</summary>
    public static bool MayCancel(this ClaimsPrincipal user, string? owner) => user.MaySee(owner);

    /// <summary>Admins and operators approve or deny waiting calls and revoke grants; runners and auditors only look.</summary>
    public static bool MayDecide(this ClaimsPrincipal user) => user.Role() is KeyRoleNames.Admin or KeyRoleNames.Operator;

    /// <summary>
    /// Separation of duties, in the API and the console alike: an operator never approves a call its own key's run asked
    /// for (it may deny it); an admin may, so a single-key setup keeps working.
    /// </summary>
    public static bool MayApprove(this ClaimsPrincipal user, string? askedBy) =>
        user.IsAdmin() || (user.MayDecide() && (askedBy is null || askedBy != user.Name()));

    /// <summary>The policy itself (and its dry-run) is an admin's business.</summary>
    public static bool MayReviewPolicy(this ClaimsPrincipal user) => user.IsAdmin();

    public static ClaimsIdentity Identity(KeyIdentity key, string scheme, string? sessionId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, key.Name),
            new(ClaimTypes.Role, key.Role),
            new(KeyStamp, key.Stamp),
        };
        if (sessionId is not null)
        {
            claims.Add(new Claim(SessionId, sessionId));
        }
        return new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role);
    }
}
