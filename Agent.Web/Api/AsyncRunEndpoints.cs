using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Web.Runs;
using Agent.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Agent.Web.Api;

/// <summary>
/// Runs for long work: start and return at once, then poll, stream events, or cancel. A runner key sees only its own
/// runs; another key's run answers 404 exactly like an unknown id, so run ids cannot be probed. Admin keys see all.
/// </summary>
public static class AsyncRunEndpoints
{
    public static IEndpointRouteBuilder MapAsyncRunApi(this IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/agent/runs")
            .WithTags("Async runs")
            .WithStandardErrors()
            .RequireAuthorization(ApiPolicies.LiveRuns)
            .ValidateBodies();

        runs.MapPost("/", Start)
            .WithName("StartRun")
            .WithSummary("Start a run in the background")
            .WithDescription("Returns 202 at once with the run's id and a Location to poll; 429 with Retry-After past the background-run bounds.")
            .Accepts<AgentRunRequest>("application/json")
            .RequireAuthorization(ApiPolicies.StartRuns)
            .RequireRunRateLimit();
        runs.MapGet("/{id}", Get)
            .WithName("GetRun")
            .WithSummary("Status, steps so far and the final result of a run");
        runs.MapPost("/{id}/cancel", Cancel)
            .WithName("CancelRun")
            .WithSummary("Cancel a running run; the audit records who cancelled");
        runs.MapGet("/{id}/events", Events)
            .WithName("StreamRunEvents")
            .WithSummary("The run's events as Server-Sent Events, from the start, ending when the run ends");
        return app;
    }

    internal static Results<Accepted<AsyncRunAccepted>, JsonHttpResult<ErrorResponse>> Start(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] AgentRunRequest body, HttpContext http, RunManager runs)
    {
        var start = runs.Start(AgentEndpoints.CreateRunRequest(body, http));
        if (start.Run is not { } run)
        {
            http.RecordRejection(StatusCodes.Status429TooManyRequests, SecurityEventReasons.TooManyRuns);
            http.Response.Headers.RetryAfter = RateLimiting.RetryAfterSeconds(RunManager.RunStart.RetryAfter);
            return TypedResults.Json(new ErrorResponse(start.Refusal!), statusCode: StatusCodes.Status429TooManyRequests);
        }
        var location = $"/agent/runs/{run.Id}";
        return TypedResults.Accepted(location, new AsyncRunAccepted(run.Id, run.Status, location, $"{location}/events", $"{location}/cancel"));
    }

    internal static Results<Ok<AsyncRunStatus>, NotFound<ErrorResponse>> Get(string id, HttpContext http, RunManager runs) =>
        Visible(id, http, runs) is { } run
            ? TypedResults.Ok(AsyncRunStatus.From(run))
            : TypedResults.NotFound(new ErrorResponse($"Run '{id}' is not active in this process; see /audit/requests/{id} for its record"));

    internal static Results<Accepted<AsyncRunStatus>, Conflict<ErrorResponse>, NotFound<ErrorResponse>, JsonHttpResult<ErrorResponse>> Cancel(string id, HttpContext http, RunManager runs)
    {
        if (Visible(id, http, runs) is not { } run)
        {
            return TypedResults.NotFound(new ErrorResponse($"Run '{id}' is not active in this process"));
        }
        if (!http.User.MayCancel(run.Owner))
        {
            // An operator follows a run awaiting approval, and answers with deny rather than by ending the run.
            http.RecordRejection(StatusCodes.Status403Forbidden, SecurityEventReasons.RoleForbidden);
            return TypedResults.Json(new ErrorResponse($"Forbidden: the {http.User.Role()} role may not cancel runs; deny the approval request instead"),
                statusCode: StatusCodes.Status403Forbidden);
        }
        if (run.IsFinished)
        {
            return TypedResults.Conflict(new ErrorResponse($"Run '{id}' already finished with status '{run.Status}'"));
        }
        run.Cancel(http.User.Name()!);
        return TypedResults.Accepted($"/agent/runs/{id}", AsyncRunStatus.From(run));
    }

    internal static Results<ServerSentEventsResult<RunEvent>, NotFound<ErrorResponse>> Events(string id, HttpContext http, RunManager runs, CancellationToken cancellationToken) =>
        Visible(id, http, runs) is { } run
            ? TypedResults.ServerSentEvents(Stream(run, cancellationToken))
            : TypedResults.NotFound(new ErrorResponse($"Run '{id}' is not active in this process"));

    /// <summary>The run if the caller may see it. Another key's run is refused as 404 (and recorded), like an unknown id.</summary>
    private static TrackedRun? Visible(string id, HttpContext http, RunManager runs)
    {
        if (runs.Find(id) is not { } run)
        {
            return null;
        }
        if (http.User.MayFollow(run.Owner, run.Status == TrackedRun.AwaitingApproval))
        {
            return run;
        }
        http.RecordRejection(StatusCodes.Status404NotFound, SecurityEventReasons.NotOwner);
        return null;
    }

    /// <summary>Each event's data line is its cached JSON (see <see cref="RunEvent.Json"/>), written once for every reader.</summary>
    private static async IAsyncEnumerable<SseItem<RunEvent>> Stream(TrackedRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var runEvent in run.ReadEventsAsync(cancellationToken))
        {
            yield return new SseItem<RunEvent>(runEvent, runEvent.Type)
            {
                EventId = runEvent.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }
    }
}
