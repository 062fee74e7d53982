using Agent.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Core.Auditing;

/// <summary>
/// At start-up: applies migrations, switches to WAL, starts the chain writer, closes runs a crash left <c>running</c>
/// (except those <see cref="ResumableRuns"/> claims, paused on a pending approval, which are resumed instead), and
/// starts the search indexer, which first indexes whatever a crash left unindexed.
/// </summary>
public sealed partial class AuditDatabaseInitializer(
    IDbContextFactory<AuditDbContext> contexts,
    AuditChain chain,
    AuditSearchIndexer indexer,
    TimeProvider clock,
    ILogger<AuditDatabaseInitializer> logger,
    ResumableRuns? resumable = null) : IHostedService
{
    public const string InterruptedError = "interrupted";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<string> interrupted;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            interrupted = await db.Requests.AsNoTracking()
                .Where(r => r.Status == RunStatus.Running && r.CompletionSeq == null)
                .OrderBy(r => r.Seq)
                .Select(r => r.Id)
                .ToListAsync(cancellationToken);
        }
        // Decided here, once, before anything else runs: a claimed run is resumed and never also closed.
        if (resumable is not null)
        {
            var resumed = await resumable.ClaimAsync(interrupted, cancellationToken);
            interrupted.RemoveAll(resumed.Contains);
        }

        // The writer starts once the schema exists; with a host it is already running, without one this starts it.
        await chain.StartAsync(cancellationToken);

        // Each closure is a chained completion entry, exactly as if the run had ended with this error.
        foreach (var id in interrupted)
        {
            await chain.CompleteAsync(new RunCompletion(id, RunStatus.Error, null, InterruptedError, clock.GetUtcNow(), null)).WaitAsync(cancellationToken);
        }
        if (interrupted.Count > 0)
        {
            LogRecovered(logger, interrupted.Count);
        }

        // As with the writer: with a host it starts (once) in its own turn; without one this starts it.
        await indexer.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Closed {Count} run(s) left running by an earlier crash as error 'interrupted'")]
    private static partial void LogRecovered(ILogger logger, int count);
}
