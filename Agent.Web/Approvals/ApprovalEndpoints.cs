using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Agent.Core.Policy;
using Agent.Web.Api;
using Agent.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Agent.Web.Approvals;

/// <summary>
/// Approvals, grants and the policy dry-run, for admin and operator keys (console operators decide in the console):
/// deciding what the agent may do is not a runner's or an auditor's business. Separation of duties: an operator key
/// never approves a call its own key's run asked for (403, recorded); it may deny it. An admin key may do both, so a
/// single-key setup keeps working.
/// </summary>
public static class ApprovalEndpoints
{
    public const string ApproversPolicy = "approvers";
    private const int MaxList = 500;

    public static IEndpointRouteBuilder MapApprovalApi(this IEndpointRouteBuilder app)
    {
        var approvals = app.MapGroup("/approvals").WithTags("Approvals").RequireAuthorization(ApproversPolicy).ValidateBodies();
        approvals.MapGet("", ListAsync)
            .WithName("ListApprovals")
            .WithSummary("Approval requests, newest first; filter with status=pending|approved|denied|expired");
        approvals.MapGet("/{id}", GetAsync)
            .WithName("GetApproval")
            .WithSummary("One approval request: the run, the tool and its arguments, the rule, the requesting key and the answer");
        approvals.MapPost("/{id}/approve", (string id, ApprovalDecisionRequest? body, HttpContext http, ApprovalDecisions decisions, IApprovalStore store, CancellationToken ct) =>
                DecideAsync(id, approve: true, body, http, decisions, store, ct))
            .WithName("ApproveCall")
            .WithSummary("Approve a pending call: scope once|run|key|everyone (a wider scope becomes a grant), expires_in_minutes, comment");
        approvals.MapPost("/{id}/deny", (string id, ApprovalDecisionRequest? body, HttpContext http, ApprovalDecisions decisions, IApprovalStore store, CancellationToken ct) =>
                DecideAsync(id, approve: false, body, http, decisions, store, ct))
            .WithName("DenyCall")
            .WithSummary("Deny a pending call (it ends blocked with the comment, and the model is told)");

        var grants = app.MapGroup("/grants").WithTags("Approvals").RequireAuthorization(ApproversPolicy);
        grants.MapGet("", ListGrantsAsync)
            .WithName("ListGrants")
            .WithSummary("Grants in force, newest first (include_inactive=true adds expired and revoked ones)");
        grants.MapDelete("/{id}", RevokeGrantAsync)
            .WithName("RevokeGrant")
            .WithSummary("Revoke a grant: matching calls are asked about again");

        app.MapPost("/policy/dry-run", DryRunAsync)
            .WithTags("Approvals")
            .WithName("PolicyDryRun")
            .WithSummary("Replay a proposed policy over the last N executions: per rule, how many calls would change effect, with examples")
            .RequireAuthorization(ApproversPolicy)
            .ValidateBodies();
        return app;
    }

    internal static async Task<Results<Ok<List<ApprovalResponse>>, BadRequest<ErrorResponse>>> ListAsync(
        string? status, int? limit, IApprovalStore store, CancellationToken cancellationToken)
    {
        if (status is not null && !ApprovalStatus.All.Contains(status))
        {
            return TypedResults.BadRequest(new ErrorResponse("Invalid query", [$"status: '{status}' is not one of {string.Join(", ", ApprovalStatus.All)}"]));
        }
        if (limit is < 1 or > MaxList)
        {
            return TypedResults.BadRequest(new ErrorResponse("Invalid query", [$"limit: must be between 1 and {MaxList}"]));
        }
        var approvals = await store.ListAsync(status, limit ?? 100, cancellationToken);
        return TypedResults.Ok(approvals.Select(ApprovalResponse.From).ToList());
    }

    internal static async Task<Results<Ok<ApprovalResponse>, NotFound<ErrorResponse>>> GetAsync(string id, IApprovalStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } approval
            ? TypedResults.Ok(ApprovalResponse.From(approval))
            : TypedResults.NotFound(new ErrorResponse($"Approval '{id}' not found"));

    internal static async Task<Results<Ok<ApprovalResponse>, NotFound<ErrorResponse>, Conflict<ErrorResponse>, UnprocessableEntity<ErrorResponse>, JsonHttpResult<ErrorResponse>>> DecideAsync(
        string id, bool approve, ApprovalDecisionRequest? body, HttpContext http, ApprovalDecisions decisions, IApprovalStore store, CancellationToken cancellationToken)
    {
        if (approve && await store.FindAsync(id, cancellationToken) is { Principal: { } owner } && !http.User.MayApprove(owner))
        {
            http.RecordRejection(StatusCodes.Status403Forbidden, SecurityEventReasons.OwnRequest);
            return TypedResults.Json(new ErrorResponse($"Forbidden: approval '{id}' was asked for by a run of this key ({owner}); another operator or an admin must approve it"),
                statusCode: StatusCodes.Status403Forbidden);
        }
        var (outcome, approval, problem) = await decisions.DecideAsync(id, approve, body, http.User.Name() ?? "unknown", store, cancellationToken);
        return outcome switch
        {
            ApprovalDecisions.Outcome.Decided => TypedResults.Ok(ApprovalResponse.From(approval!)),
            ApprovalDecisions.Outcome.NotFound => TypedResults.NotFound(new ErrorResponse(problem!)),
            ApprovalDecisions.Outcome.AlreadyDecided => TypedResults.Conflict(new ErrorResponse(problem!)),
            _ => TypedResults.UnprocessableEntity(new ErrorResponse("Invalid body", [problem!])),
        };
    }

    internal static async Task<Ok<List<GrantResponse>>> ListGrantsAsync([FromQuery(Name = "include_inactive")] bool? includeInactive, IApprovalStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var grants = await store.ListGrantsAsync(includeInactive ?? false, now, MaxList, cancellationToken);
        return TypedResults.Ok(grants.Select(g => GrantResponse.From(g, now)).ToList());
    }

    internal static async Task<Results<Ok<GrantResponse>, NotFound<ErrorResponse>>> RevokeGrantAsync(
        string id, HttpContext http, IApprovalStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await store.RevokeGrantAsync(id, http.User.Name() ?? "unknown", now, cancellationToken) is { } revoked
            ? TypedResults.Ok(GrantResponse.From(revoked, now))
            : TypedResults.NotFound(new ErrorResponse($"Grant '{id}' not found or already revoked"));
    }

    internal static async Task<Results<Ok<DryRunReport>, UnprocessableEntity<ErrorResponse>>> DryRunAsync(
        DryRunRequest body, PolicyOptionsValidator validator, EffectivePolicy current, PolicyDryRun dryRun, PastExecutions history,
        CancellationToken cancellationToken)
    {
        var rules = body.Rules ?? [];
        var failures = new OptionsFailures(PolicyOptions.SectionName);
        validator.ValidateRules(rules, failures);
        var problems = failures.Result.Failures?.ToList() ?? [];
        if (problems.Count > 0)
        {
            return TypedResults.UnprocessableEntity(new ErrorResponse("Invalid policy", problems));
        }
        var proposed = EffectivePolicy.Create(rules, current.Blocked);
        var past = await history.LatestAsync(body.Last ?? 1000, cancellationToken);
        return TypedResults.Ok(dryRun.Evaluate(current, proposed, past));
    }
}
