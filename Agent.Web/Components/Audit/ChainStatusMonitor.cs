using Agent.Core.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Agent.Web.Components.Audit;

/// <summary>
/// The audit page's chain status without a walk per view: the last verification is remembered with the head it reached,
/// and reused while the chain head is unchanged (one indexed read). When new entries were appended, one verification
/// runs in the background (shared by every page asking) while pages show the previous result as "checking".
/// Today that verification walks the whole chain (the verifier offers no resume point); with a verifier entry point
/// that resumes from a verified (seq, hash) it becomes incremental without changing this type's callers.
/// </summary>
public sealed class ChainStatusMonitor(AuditChainVerifier verifier, IDbContextFactory<AuditDbContext> contexts, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private Task<ChainStatus>? _running;

    /// <summary>The latest result, or null before the first verification finished.</summary>
    public ChainStatus? Last { get; private set; }

    /// <summary>True while a verification is running; <see cref="Last"/> is then the previous result.</summary>
    public bool IsVerifying => _running is { IsCompleted: false };

    /// <summary>The remembered status when the head has not moved since it was verified; otherwise verifies (once, shared).</summary>
    public async Task<ChainStatus> GetAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        if (!force && Last is { Result.IsValid: true } last && await ReadHeadAsync(cancellationToken) is var head && head == last.Head)
        {
            return last;
        }
        Task<ChainStatus> running;
        lock (_gate)
        {
            running = _running is { IsCompleted: false } current ? current : _running = VerifyAsync();
        }
        return await running.WaitAsync(cancellationToken);
    }

    private async Task<ChainStatus> VerifyAsync()
    {
        // The head is read first: entries appended during the walk make the next call verify again, never skip them.
        var head = await ReadHeadAsync(CancellationToken.None);
        var result = await verifier.VerifyAsync(CancellationToken.None);
        var status = new ChainStatus(result, result.IsValid ? (result.HeadSeq, result.HeadHash) : head, clock.GetUtcNow());
        Last = status;
        return status;
    }

    private async Task<(long? Seq, string? Hash)> ReadHeadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var head = await db.ChainHead.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return (head?.Seq, head?.Hash);
    }
}

/// <summary>A verification result, the head it covers and when it finished.</summary>
public sealed record ChainStatus(ChainVerification Result, (long? Seq, string? Hash) Head, DateTimeOffset VerifiedAt);
