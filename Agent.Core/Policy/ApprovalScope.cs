namespace Agent.Core.Policy;

/// <summary>How far an approval reaches: this call only, or a grant for the run, the requesting key, or everyone.</summary>
public enum ApprovalScope
{
    Once,
    Run,
    Key,
    Everyone,
}

public static class ApprovalScopes
{
    public static string ToWire(this ApprovalScope scope) => scope.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out ApprovalScope scope)
    {
        (var ok, scope) = value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "once" => (true, ApprovalScope.Once),
            "run" => (true, ApprovalScope.Run),
            "key" => (true, ApprovalScope.Key),
            "everyone" => (true, ApprovalScope.Everyone),
            _ => (false, ApprovalScope.Once),
        };
        return ok;
    }
}

/// <summary>Approval statuses as stored and returned.</summary>
public static class ApprovalStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Pending, Approved, Denied, Expired];
}
