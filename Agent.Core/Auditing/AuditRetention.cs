using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Core.Auditing;

/// <summary>What one retention pass removed.</summary>
public sealed record PruneResult(long DeletedEntries, int Markers);

/// <summary>
/// Deletes expired runs and security events without breaking verification. Only a prefix of the chain is ever
/// removed: everything before the first entry that must be kept (a recent or still running run, a recent security
/// event), widened so that no run is cut in half. Each deletion appends a chained <c>audit_prunes</c> marker with the
/// first kept seq and its predecessor's hash; verification starts from there. Large backlogs go in chunks so that
/// runs are never blocked for long.
/// </summary>
public sealed partial class AuditRetention(AuditChain chain, TimeProvider clock, ILogger<AuditRetention> logger)
{
    internal const int ChunkEntries = 5_000;

    public async Task<PruneResult> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        long deleted = 0;
        var markers = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var chunk = await chain.AppendAsync(append => PruneChunkAsync(append, cutoff), cancellationToken);
            if (chunk == 0)
            {
                break;
            }
            deleted += chunk;
            markers++;
        }
        if (deleted > 0)
        {
            LogPruned(logger, deleted, AuditTimestamp.ToText(cutoff));
        }
        return new PruneResult(deleted, markers);
    }

    private async Task<long> PruneChunkAsync(ChainTransaction append, DateTimeOffset cutoff)
    {
        var cutoffText = AuditTimestamp.ToText(cutoff);
        var firstKept = await FirstKeptSeqAsync(append, cutoffText);
        // Only entries other than markers make a pass worth it: pruning nothing but an older marker would append a
        // new marker that the next pass prunes in turn, forever.
        var first = await ScalarAsync(append, "SELECT MIN(m) FROM (" + string.Join(" UNION ALL ", AuditTables.Sources
            .Where(s => s.Table != AuditTables.Prune.Table).Select(s => $"SELECT MIN({s.SeqColumn}) AS m FROM {s.Table}")) + ")");
        if (first is null || first >= firstKept)
        {
            return 0;
        }

        var boundary = Math.Min(firstKept, first.Value + ChunkEntries);
        // Never split a run: move the boundary past the completion of any run that starts before it.
        while (await ScalarAsync(append, RunsAcross("MAX", AuditTables.RequestCompletion.SeqColumn, $"{AuditTables.RequestCompletion.SeqColumn} >= $b"), boundary) is { } completion)
        {
            boundary = completion + 1;
        }

        var previousHash = await append.HashAtAsync(boundary - 1)
            ?? throw new InvalidOperationException($"Cannot prune the audit chain: entry seq {boundary - 1} is missing.");
        // The full-text index has no triggers: the rows leave it before they leave their tables.
        await AuditSearchIndex.RemoveBelowAsync(append, boundary);
        long removed = 0;
        // Children before parents; each row counts as many entries as it holds.
        foreach (var table in AuditTables.Tables.Reverse())
        {
            var entries = string.Join(" + ", AuditTables.SourcesOf(table.Name).Select(s => $"COUNT({s.SeqColumn})"));
            removed += await ScalarAsync(append, $"SELECT {entries} FROM {table.Name} WHERE {table.SeqColumn} < $b", boundary) ?? 0;
            await using var delete = append.CreateCommand($"DELETE FROM {table.Name} WHERE {table.SeqColumn} < $b");
            delete.Parameters.AddWithValue("$b", boundary);
            await delete.ExecuteNonQueryAsync();
        }
        await append.AddPruneAsync(new AuditPruneRecord
        {
            PrunedAt = clock.GetUtcNow(),
            Cutoff = cutoff,
            FirstKeptSeq = boundary,
            FirstKeptPrevHash = previousHash,
            DeletedEntries = removed,
        });
        return removed;
    }

    /// <summary>The first seq that must survive: the earliest entry some table must keep, lowered until no run straddles it.</summary>
    private static async Task<long> FirstKeptSeqAsync(ChainTransaction append, string cutoffText)
    {
        var keep = append.NextSeq;
        foreach (var table in AuditTables.Tables.Where(t => t.KeepWhen is not null))
        {
            keep = Math.Min(keep, await ScalarAsync(append, $"SELECT MIN({table.SeqColumn}) FROM {table.Name} WHERE {table.KeepWhen}", cutoff: cutoffText) ?? long.MaxValue);
        }
        var completion = AuditTables.RequestCompletion.SeqColumn;
        while (await ScalarAsync(append, RunsAcross("MIN", AuditTables.Request.SeqColumn, $"({completion} IS NULL OR {completion} >= $b)"), keep) is { } straddling)
        {
            keep = straddling;
        }
        return keep;
    }

    /// <summary>The runs that start before the boundary <c>$b</c> and match <paramref name="condition"/>.</summary>
    private static string RunsAcross(string aggregate, string column, string condition) =>
        $"SELECT {aggregate}({column}) FROM {AuditTables.Request.Table} WHERE {AuditTables.Request.SeqColumn} < $b AND {condition}";

    private static async Task<long?> ScalarAsync(ChainTransaction append, string sql, long? boundary = null, string? cutoff = null)
    {
        await using var command = append.CreateCommand(sql);
        if (boundary is { } b)
        {
            command.Parameters.AddWithValue("$b", b);
        }
        if (cutoff is not null)
        {
            command.Parameters.AddWithValue("$c", cutoff);
        }
        return await command.ExecuteScalarAsync() is long value ? value : null;
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Audit retention removed {Count} chain entries older than {Cutoff}")]
    private static partial void LogPruned(ILogger logger, long count, string cutoff);
}

/// <summary>Runs <see cref="AuditRetention"/> at start-up and then every <see cref="AuditOptions.RetentionInterval"/>, when a retention is set.</summary>
public sealed partial class AuditRetentionService(
    AuditRetention retention,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    ILogger<AuditRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RetentionDays is not { } days)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.RetentionInterval, clock);
        try
        {
            do
            {
                try
                {
                    await retention.PruneAsync(clock.GetUtcNow().AddDays(-days), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "Audit retention failed; it will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
