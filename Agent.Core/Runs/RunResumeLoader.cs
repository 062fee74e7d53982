using Agent.Core.Auditing;
using Agent.Core.Policy;
using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Runs;

/// <summary>Reads a claimed run's audit rows and its approval request back from the database.</summary>
public sealed class RunResumeLoader(IDbContextFactory<AuditDbContext> contexts, IApprovalStore store)
{
    /// <summary>Null when the run's request row is gone (nothing could record its end either).</summary>
    public async Task<ResumedRun?> LoadAsync(ResumeTicket ticket, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == ticket.RunId, cancellationToken);
        if (request is null)
        {
            return null;
        }
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.RequestId == ticket.RunId).OrderBy(d => d.Seq).ToListAsync(cancellationToken);
        var executions = await db.ToolExecutions.AsNoTracking().Where(e => e.RequestId == ticket.RunId).OrderBy(e => e.Seq).ToListAsync(cancellationToken);
        var approval = await store.FindAsync(ticket.ApprovalId, cancellationToken) ?? new ApprovalRecord
        {
            // Gone since the claim: the plan reports it as not resumable.
            Id = ticket.ApprovalId,
            RequestId = ticket.RunId,
            ToolName = "",
            RuleId = "",
            PolicyVersion = "",
            Status = "missing",
        };
        var run = new RunRequest(request.Input, request.Source, request.Principal, request.ClientIp) { RunId = request.Id };
        return new ResumedRun(run, request.CreatedAt, approval, decisions, executions);
    }
}
