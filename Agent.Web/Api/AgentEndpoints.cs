using System.Security.Claims;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Web.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agent.Web.Api;

public static class AgentEndpoints
{
    public const string Source = "api";

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/agent")
            .WithTags("Agent")
            .WithStandardErrors()
            .RequireAuthorization(ApiPolicies.ApiKey)
            .RequireRateLimiting(ApiPolicies.AgentRuns);

        agent.MapPost("/run", RunAsync)
            .WithName("RunAgent")
            .WithSummary("Run the agent on an instruction and wait for the result")
            .Accepts<AgentRunRequest>("application/json");
        return app;
    }

    internal static async Task<Results<Ok<AgentRunResponse>, UnprocessableEntity<ErrorResponse>>> RunAsync(
        AgentRunRequest body, HttpContext http, RunManager runs, CancellationToken cancellationToken)
    {
        var problems = body.Validate();
        if (problems.Count > 0)
        {
            http.RecordRejection(StatusCodes.Status422UnprocessableEntity, SecurityEventReasons.InvalidBody);
            return TypedResults.UnprocessableEntity(new ErrorResponse("Invalid request body", problems));
        }
        var result = await runs.RunAsync(CreateRunRequest(body, http), cancellationToken);
        return TypedResults.Ok(AgentRunResponse.From(result));
    }

    /// <summary>The principal is the API key's name (or the console operator), never a key value.</summary>
    internal static RunRequest CreateRunRequest(AgentRunRequest body, HttpContext http, string source = Source) =>
        new(body.Input!, source, http.User.FindFirstValue(ClaimTypes.Name), http.Connection.RemoteIpAddress?.ToString());
}
