using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Auditing;

/// <summary>
/// Writes each audit row in its own short transaction so that what was acknowledged survives a crash.
/// Writes ignore the run's cancellation: a cancelled run must still be recorded.
/// </summary>
public sealed class EfAuditWriter(IDbContextFactory<AuditDbContext> contexts) : IAuditWriter
{
    public async Task StartRunAsync(RequestRecord request)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.Requests.Add(request);
        await db.SaveChangesAsync();
    }

    public async Task<long> RecordDecisionAsync(DecisionRecord decision)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.Decisions.Add(decision);
        await db.SaveChangesAsync();
        return decision.Id;
    }

    public async Task<long> RecordExecutionAsync(ToolExecutionRecord execution)
    {
        await using var db = await contexts.CreateDbContextAsync();
        db.ToolExecutions.Add(execution);
        await db.SaveChangesAsync();
        return execution.Id;
    }

    public async Task CompleteRunAsync(string requestId, string status, string? output, string? error, DateTimeOffset completedAt, long durationMs)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.Requests.Where(r => r.Id == requestId).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.Output, output)
            .SetProperty(r => r.Error, error)
            .SetProperty(r => r.CompletedAt, completedAt)
            .SetProperty(r => r.DurationMs, durationMs));
    }
}
