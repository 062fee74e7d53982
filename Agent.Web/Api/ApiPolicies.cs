namespace Agent.Web.Api;

/// <summary>Names of the authorization and rate-limit policies routes opt into.</summary>
public static class ApiPolicies
{
    public const string ApiKey = "api-key";
    public const string AgentRuns = "agent-runs";
}
