using System.Security.Claims;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agent.Web.Api;

public static class AgentEndpoints
{
    public const string Source = "api";

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/agent")
            .WithTags("Agent")
            .RequireAuthorization(ApiPolicies.ApiKey)
            .RequireRateLimiting(ApiPolicies.AgentRuns);

        agent.MapPost("/run", RunAsync)
            .WithName("RunAgent")
            .WithSummary("Run the agent on an instruction and wait for the result")
            .Accepts<AgentRunRequest>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    internal static async Task<Results<Ok<AgentRunResponse>, UnprocessableEntity<ErrorResponse>>> RunAsync(
        AgentRunRequest body, HttpContext http, AgentRunner runner, CancellationToken cancellationToken)
    {
        var problems = body.Validate();
        if (problems.Count > 0)
        {
            http.RecordRejection(StatusCodes.Status422UnprocessableEntity, SecurityEventReasons.InvalidBody);
            return TypedResults.UnprocessableEntity(new ErrorResponse("Invalid request body", problems));
        }
        var request = new RunRequest(body.Input!, Source, http.User.FindFirstValue(ClaimTypes.Name), http.Connection.RemoteIpAddress?.ToString());
        var result = await runner.RunAsync(request, cancellationToken);
        return TypedResults.Ok(AgentRunResponse.From(result));
    }
}
