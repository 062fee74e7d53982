namespace Agent.Web.Api;

/// <summary>Names of the authorization and rate-limit policies routes opt into.</summary>
public static class ApiPolicies
{
    public const string ApiKey = "api-key";

    /// <summary>A signed-in console operator (cookie only).</summary>
    public const string Console = "console";

    /// <summary>An API key or a signed-in console operator.</summary>
    public const string Operator = "operator";
    public const string AgentRuns = "agent-runs";
}
