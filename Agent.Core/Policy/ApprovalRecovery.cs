using Agent.Core.Runs;
using Microsoft.Extensions.Hosting;

namespace Agent.Core.Policy;

/// <summary>
/// At start-up, after the audit database has closed the runs a stop left <c>running</c> (as <c>interrupted</c>), closes
/// the approval requests those runs were waiting on, so no request stays pending for a run that no longer exists. The
/// requests of runs claimed for resumption (<see cref="ResumableRuns"/>) stay pending: their runs wait on them again.
/// </summary>
public sealed class ApprovalRecovery(IApprovalStore store, ApprovalCoordinator approvals, ResumableRuns resumable, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var pending in await store.ListAsync(ApprovalStatus.Pending, int.MaxValue, cancellationToken))
        {
            if (!approvals.Waiting.Contains(pending.Id) && !resumable.Claimed.Any(t => t.ApprovalId == pending.Id))
            {
                await approvals.DecideAsync(pending.Id, new ApprovalVerdict(ApprovalStatus.Expired, "system", clock.GetUtcNow(),
                    Comment: "The server restarted before anyone answered, and the run could not be resumed; it ended as interrupted."), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
