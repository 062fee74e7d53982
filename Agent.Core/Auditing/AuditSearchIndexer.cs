using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Core.Auditing;

/// <summary>
/// Keeps the full-text index (<see cref="AuditSearchIndex"/>) caught up with the audit chain, off the commits that
/// append rows: <see cref="Delay"/> after a commit, one batch covers every run committed meanwhile, so the index grows
/// by a few large segments instead of one small segment (and its merges) per commit. A finished run is searchable
/// within about <see cref="Delay"/> of its commit, well inside the one-second promise.
/// <para>
/// The batch runs as an append of its own on the chain writer (so it never competes with it for SQLite's write lock)
/// and moves the index's high-water mark in the same transaction. At start-up, before the host serves, everything
/// after the mark is indexed: what a crash left between a commit and its indexing is searchable once the server answers.
/// A sweep every <see cref="SweepInterval"/> catches what a signal could not announce (another process's commits, a
/// failed batch); on shutdown a last batch indexes what is committed.
/// </para>
/// </summary>
public sealed partial class AuditSearchIndexer(AuditChain chain, ILogger<AuditSearchIndexer> logger) : BackgroundService
{
    /// <summary>How long after a commit the index catches up: longer batches more runs per index write.</summary>
    internal static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the index is checked without a commit signal.</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>Chain entries indexed in one transaction at most (about 400 runs), so a backlog never holds the writer for long.</summary>
    internal const int MaxEntriesPerBatch = 2_000;

    private int _started;

    /// <summary>Indexes what the last run of the server left unindexed, then starts the background loop; once.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }
        try
        {
            var indexed = await CatchUpAsync(cancellationToken);
            if (indexed > 0)
            {
                LogCaughtUp(logger, indexed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Search may miss the newest runs until a sweep succeeds; recording runs matters more than finding them.
            LogFailed(logger, ex);
        }
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Indexes a last batch of what is committed, so that a clean restart has nothing to catch up.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await CatchUpAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown time ran out (e.g. waiting for open connections): the next start-up indexes it.
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
        }
    }

    /// <summary>Indexes every chain entry committed before this call; returns how many entries that covered.</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        long total = 0;
        int batch;
        do
        {
            batch = await chain.AppendAsync(append => Task.FromResult(AuditSearchIndex.CatchUp(append, MaxEntriesPerBatch)), cancellationToken);
            total += batch;
        }
        while (batch == MaxEntriesPerBatch);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Wall-clock waits, like the chain's linger: they batch disk writes, and a test's frozen clock must not stop them.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await chain.WaitForAppendsAsync(SweepInterval, stoppingToken);
                await Task.Delay(Delay, stoppingToken);
                await CatchUpAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Indexed {Count} audit chain entries for search that an earlier run of the server left unindexed")]
    private static partial void LogCaughtUp(ILogger logger, long count);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Error, Message = "Full-text indexing of the audit failed; it is retried within a second")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
