using Agent.Core.Runs;
using Agent.Web.Runs;
using Agent.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Agent.Web.Api;

public static class AgentEndpoints
{
    public const string Source = "api";

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/agent")
            .WithTags("Agent")
            .WithStandardErrors()
            .RequireAuthorization(ApiPolicies.StartRuns)
            .ValidateBodies();

        agent.MapPost("/run", RunAsync)
            .WithName("RunAgent")
            .WithSummary("Run the agent on an instruction and wait for the result")
            .Accepts<AgentRunRequest>("application/json")
            .RequireRunRateLimit();
        return app;
    }

    // The body arrives valid: the group's BodyValidation filter answers 422 otherwise.
    internal static async Task<Ok<AgentRunResponse>> RunAsync(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] AgentRunRequest body, HttpContext http, RunManager runs, CancellationToken cancellationToken)
    {
        var result = await runs.RunAsync(CreateRunRequest(body, http), cancellationToken);
        return TypedResults.Ok(AgentRunResponse.From(result));
    }

    /// <summary>The principal is the API key's name, never a key value.</summary>
    internal static RunRequest CreateRunRequest(AgentRunRequest body, HttpContext http, string source = Source) =>
        new(body.Input!, source, http.User.Name(), http.Connection.RemoteIpAddress?.ToString());
}
