using Agent.Core.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Policy;

/// <summary>Reads the newest tool executions for the dry-run, newest first.</summary>
public sealed class PastExecutions(IDbContextFactory<AuditDbContext> contexts)
{
    public const int MaxReplayed = 100_000;

    public async Task<IReadOnlyList<PastExecution>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ToolExecutions.AsNoTracking()
            .OrderByDescending(e => e.Seq)
            .Take(Math.Clamp(count, 1, MaxReplayed))
            .Select(e => new PastExecution(e.Id, e.RequestId, e.ToolName, e.Input, e.Status, e.Policy, e.CreatedAt))
            .ToListAsync(cancellationToken);
    }
}
