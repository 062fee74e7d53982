using Agent.Core.Runs;
using Agent.Web.Runs;

namespace Agent.Web.Api;

/// <summary>Answer to <c>POST /agent/runs</c>: where to follow the run.</summary>
public sealed record AsyncRunAccepted(string RequestId, string Status, string StatusUrl, string EventsUrl, string CancelUrl);

/// <summary>A run in progress or finished: its steps so far and, once done, the same result as <c>POST /agent/run</c>.</summary>
public sealed record AsyncRunStatus(
    string RequestId,
    string Status,
    string Input,
    DateTimeOffset CreatedAt,
    IReadOnlyList<RunEvent> Steps,
    AgentRunResponse? Result)
{
    public static AsyncRunStatus From(TrackedRun run) => new(
        run.Id, run.Status, run.Request.Input, run.CreatedAt,
        run.Events,
        run.Result is { } result ? AgentRunResponse.From(result) : null);
}
