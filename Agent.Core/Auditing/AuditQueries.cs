using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Auditing;

/// <summary>Read side of the audit store for the API and the console.</summary>
public sealed class AuditQueries(IDbContextFactory<AuditDbContext> contexts)
{
    public async Task<IReadOnlyList<RunSummary>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking()
            .OrderByDescending(r => r.CreatedAt)
            .Take(count)
            .Select(r => new RunSummary(r.Id, r.Input, r.Status, r.Source, r.Principal, r.CreatedAt, r.DurationMs, r.ToolExecutions.Count))
            .ToListAsync(cancellationToken);
    }
}
