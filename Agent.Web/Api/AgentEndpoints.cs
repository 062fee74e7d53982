using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Web.Runs;
using Agent.Web.Security;
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
            .RequireAuthorization(ApiPolicies.StartRuns);

        agent.MapPost("/run", RunAsync)
            .WithName("RunAgent")
            .WithSummary("Run the agent on an instruction and wait for the result")
            .Accepts<AgentRunRequest>("application/json")
            .RequireRunRateLimit();
        return app;
    }

    internal static async Task<Results<Ok<AgentRunResponse>, UnprocessableEntity<ErrorResponse>>> RunAsync(
        AgentRunRequest body, HttpContext http, RunManager runs, CancellationToken cancellationToken)
    {
        if (Reject(body, http) is { } invalid)
        {
            return invalid;
        }
        var result = await runs.RunAsync(CreateRunRequest(body, http), cancellationToken);
        return TypedResults.Ok(AgentRunResponse.From(result));
    }

    /// <summary>The 422 for an invalid body, recorded in security_events; null when the body is valid. Every run route uses it.</summary>
    internal static UnprocessableEntity<ErrorResponse>? Reject(AgentRunRequest body, HttpContext http)
    {
        var problems = body.Validate();
        if (problems.Count == 0)
        {
            return null;
        }
        http.RecordRejection(StatusCodes.Status422UnprocessableEntity, SecurityEventReasons.InvalidBody);
        return TypedResults.UnprocessableEntity(new ErrorResponse("Invalid request body", problems));
    }

    /// <summary>The principal is the API key's name, never a key value.</summary>
    internal static RunRequest CreateRunRequest(AgentRunRequest body, HttpContext http, string source = Source) =>
        new(body.Input!, source, http.User.Name(), http.Connection.RemoteIpAddress?.ToString());
}
