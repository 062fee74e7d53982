namespace Agent.Web.Security;

/// <summary>The roles an API key can have (<c>Agent:KeyRoles:&lt;name&gt;</c>).</summary>
public static class KeyRoleNames
{
    /// <summary>Starts runs; sees, streams, subscribes to and cancels its own runs; searches its own audit rows.</summary>
    public const string Runner = "runner";

    /// <summary>Reads the whole audit, verifies and exports it; starts nothing.</summary>
    public const string Auditor = "auditor";

    /// <summary>Everything, other keys' runs included.</summary>
    public const string Admin = "admin";

    /// <summary>Lists and decides approvals, lists and revokes grants, follows the runs awaiting approval; starts nothing.</summary>
    public const string Operator = "operator";

    public static IReadOnlyList<string> All { get; } = [Runner, Auditor, Admin, Operator];

    public static bool IsValid(string? role) => role is Runner or Auditor or Admin or Operator;
}
