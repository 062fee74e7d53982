using System.Runtime.CompilerServices;
using Agent.Core.Auditing;
using Agent.Core.Configuration;
using Agent.Core.Runs;
using Agent.Web.Api;
using Agent.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Agent.Web.Runs;

/// <summary>
/// Live run events at <c>/hubs/runs</c>. Clients join one run or all runs and receive <c>RunEvent</c> messages
/// in order. Joining one run also returns the events so far (dedupe by <c>sequence</c>). A runner key may join only
/// its own active runs, an operator key the runs awaiting approval; <c>SubscribeAll</c> is for admin keys and console operators. One connection holds at most
/// <c>MAX_SUBSCRIPTIONS_PER_CONNECTION</c> run subscriptions. Refusals are hub errors and security events.
/// </summary>
[Authorize(Policy = ApiPolicies.Operator)]
public sealed class RunsHub(RunManager runs, ISecurityEventWriter securityEvents, TimeProvider clock, IOptions<LimitsOptions> limits) : Hub
{
    public const string Path = "/hubs/runs";
    public const string EventMethod = "RunEvent";
    public const string AllRunsGroup = "runs:all";

    public static string RunGroup(string runId) => "run:" + runId;

    public async Task<IReadOnlyList<RunEvent>> SubscribeRun(string runId)
    {
        var run = runs.Find(runId);
        if (run is null || !Context.User!.MayFollow(run.Owner, run.Status == TrackedRun.AwaitingApproval))
        {
            // Unknown and foreign runs are refused alike, so run ids cannot be probed.
            throw Refuse(StatusCodes.Status404NotFound, SecurityEventReasons.NotOwner, $"Run '{runId}' is not active in this process");
        }
        var subscribed = Subscriptions;
        lock (subscribed)
        {
            if (!subscribed.Contains(runId) && subscribed.Count >= limits.Value.SubscriptionsPerConnection)
            {
                throw Refuse(StatusCodes.Status429TooManyRequests, SecurityEventReasons.SubscriptionRefused,
                    $"At most {limits.Value.SubscriptionsPerConnection} run subscriptions per connection (MAX_SUBSCRIPTIONS_PER_CONNECTION)");
            }
            subscribed.Add(runId);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, RunGroup(runId));
        return run.Events;
    }

    public async Task UnsubscribeRun(string runId)
    {
        var subscribed = Subscriptions;
        lock (subscribed)
        {
            if (!subscribed.Remove(runId))
            {
                return;
            }
        }
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RunGroup(runId));
    }

    public Task SubscribeAll()
    {
        if (!Context.User!.IsAdmin())
        {
            throw Refuse(StatusCodes.Status403Forbidden, SecurityEventReasons.RoleForbidden, "Forbidden: only admin keys and console operators may subscribe to all runs");
        }
        return Groups.AddToGroupAsync(Context.ConnectionId, AllRunsGroup);
    }

    public Task UnsubscribeAll() => Groups.RemoveFromGroupAsync(Context.ConnectionId, AllRunsGroup);

    /// <summary>The run ids this connection has joined (connection-scoped, gone with the connection).</summary>
    private HashSet<string> Subscriptions
    {
        get
        {
            if (Context.Items.TryGetValue(nameof(Subscriptions), out var existing) && existing is HashSet<string> set)
            {
                return set;
            }
            var created = new HashSet<string>(StringComparer.Ordinal);
            Context.Items[nameof(Subscriptions)] = created;
            return created;
        }
    }

    /// <summary>Records the refusal (route <c>/hubs/runs/&lt;method&gt;</c>) and returns the error the caller sees.</summary>
    private HubException Refuse(int status, string reason, string message, [CallerMemberName] string method = "")
    {
        securityEvents.Record(new SecurityEvent(clock.GetUtcNow(), status, reason, "INVOKE", $"{Path}/{method}",
            Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString(), Context.User?.Name()));
        return new HubException(message);
    }
}
