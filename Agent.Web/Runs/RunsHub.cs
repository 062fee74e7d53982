using Agent.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Agent.Web.Runs;

/// <summary>
/// Live run events at <c>/hubs/runs</c>. Clients join one run or all runs and receive <c>RunEvent</c> messages
/// in order. Joining one run also returns the events so far (dedupe by <c>sequence</c>).
/// </summary>
[Authorize(Policy = ApiPolicies.Operator)]
public sealed class RunsHub(RunManager runs) : Hub
{
    public const string Path = "/hubs/runs";
    public const string EventMethod = "RunEvent";
    public const string AllRunsGroup = "runs:all";

    public static string RunGroup(string runId) => "run:" + runId;

    public async Task<IReadOnlyList<RunEventResponse>> SubscribeRun(string runId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, RunGroup(runId));
        return runs.Find(runId)?.Events.Select(RunEventResponse.From).ToArray() ?? [];
    }

    public Task UnsubscribeRun(string runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroup(runId));

    public Task SubscribeAll() => Groups.AddToGroupAsync(Context.ConnectionId, AllRunsGroup);

    public Task UnsubscribeAll() => Groups.RemoveFromGroupAsync(Context.ConnectionId, AllRunsGroup);
}
