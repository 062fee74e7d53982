using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Agent.Web.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agent.Web.Api;

/// <summary>Runs for long work: start and return at once, then poll, stream events, or cancel.</summary>
public static class AsyncRunEndpoints
{
    public static IEndpointRouteBuilder MapAsyncRunApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/agent/runs")
            .WithTags("Async runs")
            .WithStandardErrors()
            .RequireAuthorization(ApiPolicies.ApiKey);

        runs.MapPost("/", Start)
            .WithName("StartRun")
            .WithSummary("Start a run in the background")
            .WithDescription("Returns 202 at once with the run's id and a Location to poll.")
            .Accepts<AgentRunRequest>("application/json")
            .RequireRateLimiting(ApiPolicies.AgentRuns);
        runs.MapGet("/{id}", Get)
            .WithName("GetRun")
            .WithSummary("Status, steps so far and the final result of a run");
        runs.MapPost("/{id}/cancel", Cancel)
            .WithName("CancelRun")
            .WithSummary("Cancel a running run");
        runs.MapGet("/{id}/events", Events)
            .WithName("StreamRunEvents")
            .WithSummary("The run's events as Server-Sent Events, from the start, ending when the run ends");
        return app;
    }

    internal static Results<Accepted<AsyncRunAccepted>, UnprocessableEntity<ErrorResponse>> Start(AgentRunRequest body, HttpContext http, RunManager runs)
    {
        var problems = body.Validate();
        if (problems.Count > 0)
        {
            return TypedResults.UnprocessableEntity(new ErrorResponse("Invalid request body", problems));
        }
        var run = runs.Start(AgentEndpoints.CreateRunRequest(body, http));
        var location = $"/agent/runs/{run.Id}";
        return TypedResults.Accepted(location, new AsyncRunAccepted(run.Id, run.Status, location, $"{location}/events", $"{location}/cancel"));
    }

    internal static Results<Ok<AsyncRunStatus>, NotFound<ErrorResponse>> Get(string id, RunManager runs) =>
        runs.Find(id) is { } run
            ? TypedResults.Ok(AsyncRunStatus.From(run))
            : TypedResults.NotFound(new ErrorResponse($"Run '{id}' is not active in this process; see /audit/requests/{id} for its record"));

    internal static Results<Accepted<AsyncRunStatus>, Conflict<ErrorResponse>, NotFound<ErrorResponse>> Cancel(string id, RunManager runs)
    {
        if (runs.Find(id) is not { } run)
        {
            return TypedResults.NotFound(new ErrorResponse($"Run '{id}' is not active in this process"));
        }
        if (run.IsFinished)
        {
            return TypedResults.Conflict(new ErrorResponse($"Run '{id}' already finished with status '{run.Status}'"));
        }
        run.Cancel();
        return TypedResults.Accepted($"/agent/runs/{id}", AsyncRunStatus.From(run));
    }

    internal static Results<ServerSentEventsResult<RunEventResponse>, NotFound<ErrorResponse>> Events(string id, RunManager runs, CancellationToken cancellationToken) =>
        runs.Find(id) is { } run
            ? TypedResults.ServerSentEvents(Stream(run, cancellationToken))
            : TypedResults.NotFound(new ErrorResponse($"Run '{id}' is not active in this process"));

    private static async IAsyncEnumerable<SseItem<RunEventResponse>> Stream(TrackedRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var runEvent in run.ReadEventsAsync(cancellationToken))
        {
            yield return new SseItem<RunEventResponse>(RunEventResponse.From(runEvent), runEvent.Type)
            {
                EventId = runEvent.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }
    }
}
