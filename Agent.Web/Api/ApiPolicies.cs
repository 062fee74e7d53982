namespace Agent.Web.Api;

/// <summary>Names of the authorization and rate-limit policies routes opt into.</summary>
public static class ApiPolicies
{
    public const string ApiKey = "api-key";

    /// <summary>An API key or a signed-in console operator.</summary>
    public const string Operator = "operator";
    public const string AgentRuns = "agent-runs";
}
