using Agent.Core.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Policy;

/// <summary><see cref="IApprovalStore"/> over the audit database's <c>approvals</c> and <c>grants</c> tables.</summary>
public sealed class EfApprovalStore(IDbContextFactory<AuditDbContext> contexts) : IApprovalStore
{
    public async Task AddAsync(ApprovalRecord approval, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Add(approval);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<ApprovalRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<ApprovalRecord>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
    }

    public async Task<IReadOnlyList<ApprovalRecord>> ListAsync(string? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Set<ApprovalRecord>().AsNoTracking();
        if (status is not null)
        {
            query = query.Where(a => a.Status == status);
        }
        return await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<ApprovalRecord?> DecideAsync(string id, ApprovalVerdict verdict, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var approval = await db.Set<ApprovalRecord>().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (approval is null || approval.Status != ApprovalStatus.Pending)
        {
            return null;
        }

        GrantRecord? grant = null;
        if (verdict.Status == ApprovalStatus.Approved && verdict.Scope != ApprovalScope.Once)
        {
            grant = new GrantRecord
            {
                Id = Guid.NewGuid().ToString(),
                ApprovalId = approval.Id,
                ToolName = approval.ToolName,
                RuleId = approval.RuleId,
                Scope = verdict.Scope.ToWire(),
                RequestId = verdict.Scope == ApprovalScope.Run ? approval.RequestId : null,
                Principal = verdict.Scope == ApprovalScope.Key ? approval.Principal : null,
                CreatedBy = verdict.DecidedBy,
                CreatedAt = verdict.DecidedAt,
                ExpiresAt = verdict.GrantExpiresAt ?? throw new ArgumentException("A grant needs an expiry.", nameof(verdict)),
            };
            db.Add(grant);
        }

        // Conditional on 'pending' in the database itself, so a decision racing in from another context cannot be overwritten.
        var updated = await db.Set<ApprovalRecord>()
            .Where(a => a.Id == id && a.Status == ApprovalStatus.Pending)
            .ExecuteUpdateAsync(set => set
                .SetProperty(a => a.Status, verdict.Status)
                .SetProperty(a => a.DecidedBy, verdict.DecidedBy)
                .SetProperty(a => a.DecidedAt, verdict.DecidedAt)
                .SetProperty(a => a.Scope, verdict.Status == ApprovalStatus.Approved ? verdict.Scope.ToWire() : null)
                .SetProperty(a => a.Comment, verdict.Comment)
                .SetProperty(a => a.GrantId, grant == null ? null : grant.Id), cancellationToken);
        if (updated == 0)
        {
            return null;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        approval.Status = verdict.Status;
        approval.DecidedBy = verdict.DecidedBy;
        approval.DecidedAt = verdict.DecidedAt;
        approval.Scope = verdict.Status == ApprovalStatus.Approved ? verdict.Scope.ToWire() : null;
        approval.Comment = verdict.Comment;
        approval.GrantId = grant?.Id;
        return approval;
    }

    public async Task<GrantRecord?> FindCoveringGrantAsync(string toolName, string ruleId, string runId, string? principal, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Set<GrantRecord>().AsNoTracking()
            .Where(g => g.ToolName == toolName && g.RuleId == ruleId && g.RevokedAt == null && g.ExpiresAt > now)
            .OrderBy(g => g.CreatedAt)
            .ToListAsync(cancellationToken);
        return candidates.FirstOrDefault(g => g.Covers(toolName, ruleId, runId, principal));
    }

    public async Task<GrantRecord?> FindGrantAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<GrantRecord>().AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
    }

    public async Task<IReadOnlyList<GrantRecord>> ListGrantsAsync(bool includeInactive, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Set<GrantRecord>().AsNoTracking();
        if (!includeInactive)
        {
            query = query.Where(g => g.RevokedAt == null && g.ExpiresAt > now);
        }
        return await query.OrderByDescending(g => g.CreatedAt).ThenByDescending(g => g.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<GrantRecord?> RevokeGrantAsync(string id, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var updated = await db.Set<GrantRecord>()
            .Where(g => g.Id == id && g.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(g => g.RevokedAt, now).SetProperty(g => g.RevokedBy, revokedBy), cancellationToken);
        return updated == 0 ? null : await db.Set<GrantRecord>().AsNoTracking().SingleAsync(g => g.Id == id, cancellationToken);
    }
}
