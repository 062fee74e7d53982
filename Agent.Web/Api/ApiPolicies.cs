namespace Agent.Web.Api;

/// <summary>Names of the authorization policies routes opt into.</summary>
public static class ApiPolicies
{
    /// <summary>Any valid API key (runners are then limited to their own rows by the handler).</summary>
    public const string ApiKey = "api-key";

    /// <summary>Start runs: runner or admin keys.</summary>
    public const string StartRuns = "start-runs";

    /// <summary>Follow and cancel live runs: runner (own runs) or admin keys; operator keys follow runs awaiting approval.</summary>
    public const string LiveRuns = "live-runs";

    /// <summary>The whole audit (export, verify): auditor or admin keys.</summary>
    public const string WholeAudit = "whole-audit";

    /// <summary>A signed-in console operator (cookie only).</summary>
    public const string Console = "console";

    /// <summary>A runner, admin or operator key, or a signed-in console operator (the SignalR hub).</summary>
    public const string Operator = "operator";
}
