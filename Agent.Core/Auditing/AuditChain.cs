using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Core.Auditing;

/// <summary>
/// The tamper-evident audit chain and its writer: one append-only sequence over every audit row. Each entry has a
/// global <c>seq</c> and <c>hash = SHA-256(previous entry's hash || canonical JSON of the entry's content)</c>; the
/// first entry follows <see cref="ChainSource.GenesisHash"/>. The newest entry is mirrored in <c>audit_chain_head</c>.
/// Which tables and columns take part is declared once, in <see cref="AuditTables"/>.
/// <para>
/// <c>requests</c> rows are updated when a run ends, so a request row carries two entries: its start entry
/// (<c>seq</c>/<c>hash</c> over the columns that never change) and a completion entry
/// (<c>completion_seq</c>/<c>completion_hash</c> over status, output, error, completed_at and duration_ms).
/// </para>
/// <para>
/// A hosted service: it owns the queue, starts with the host and, when the host stops, writes everything queued
/// before it returns. One loop on one connection drains the queue; appends waiting together share one
/// <c>BEGIN IMMEDIATE</c> transaction (group commit). The head is re-read at the start of every transaction, under the
/// database's write lock, so no two writers (even in two processes) can extend the same head and fork the chain.
/// </para>
/// <para>
/// An append is acknowledged either once written into the open transaction (<see cref="Durability.Written"/>: a run's
/// start, an execution, a final decision) or once committed (<see cref="Durability.Committed"/>). The loop commits
/// as soon as a committed append is in the transaction, and otherwise at most <see cref="Linger"/> after the first
/// write, so a written row is durable within that window and always before any later committed append returns.
/// </para>
/// </summary>
public sealed partial class AuditChain(
    IDbContextFactory<AuditDbContext> contexts,
    IOptions<AuditOptions> options,
    ILogger<AuditChain> logger) : BackgroundService
{
    /// <summary>Appends taken into one transaction at most; bounds the work a single commit can hold back.</summary>
    internal const int MaxBatch = 512;

    /// <summary>How long written-but-uncommitted rows may wait for a commit to share.</summary>
    internal static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(10);

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });

    // One pending signal at most: the search indexer wakes once for any number of commits since it last looked.
    private readonly Channel<bool> _appendsCommitted = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Dictionary<string, long> _lastIds = new(StringComparer.Ordinal);
    private ChainConnection? _connection;
    private (long Seq, string Hash)? _committedHead;
    private int _started;

    /// <summary>When an append's task completes.</summary>
    public enum Durability
    {
        /// <summary>Once the row is in the open transaction; it is committed with the next commit, at most <see cref="Linger"/> later.</summary>
        Written,

        /// <summary>Once the transaction holding the row is committed.</summary>
        Committed,
    }

    /// <summary>
    /// Runs <paramref name="work"/> at the chain's head and returns once it is committed. The work runs inside its own
    /// savepoint, so that when it fails, everything it wrote is undone and nothing else in the transaction is.
    /// Once queued, an append is written even if the caller stops waiting: an audit row is never half-abandoned.
    /// </summary>
    public Task<T> AppendAsync<T>(Func<ChainTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new WorkAppend<T>(work);
        Enqueue(pending);
        return pending.Completion.WaitAsync(cancellationToken);
    }

    /// <summary>Appends one row with one prepared statement (no savepoint: SQLite undoes a failing statement alone).</summary>
    internal Task WriteAsync<TRow>(ChainSource<TRow> source, TRow row, Durability durability)
    {
        var pending = new RowAppend<TRow>(source, row, durability);
        Enqueue(pending);
        return pending.Completion;
    }

    /// <summary>Seals a run's completion; true once committed, false when the run is unknown or already complete.</summary>
    internal Task<bool> CompleteAsync(RunCompletion completion)
    {
        var pending = new RowAppend<RunCompletion>(AuditTables.RequestCompletion, completion, Durability.Committed);
        Enqueue(pending);
        return pending.Completion;
    }

    /// <summary>Returns once everything appended before this call is committed (a barrier in the queue; it writes nothing).</summary>
    public Task FlushAsync()
    {
        var pending = new FlushAppend();
        Enqueue(pending);
        return pending.Completion;
    }

    /// <summary>
    /// Returns once a transaction that appended chain entries has committed since the last call, or when
    /// <paramref name="timeout"/> has passed.
    /// </summary>
    internal async Task WaitForAppendsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _appendsCommitted.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: the caller looks anyway.
        }
    }

    /// <summary>Starts the writer once; also called by the database initializer, so a host-less service provider can write.</summary>
    public override Task StartAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _started, 1) == 1 ? Task.CompletedTask : base.StartAsync(cancellationToken);

    /// <summary>Takes no more appends, then waits (up to the host's shutdown timeout) until every queued one is written.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        // Without a host nobody calls StopAsync: the loop still ends, after what is queued.
        _queue.Writer.TryComplete();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The host's start-up continues while the loop waits; the shutdown token is not used to stop early, only the queue's end.
        await Task.Yield();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                await WriteTransactionAsync();
            }
        }
        finally
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    private void Enqueue(PendingAppend pending)
    {
        if (Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException("The audit chain writer is not running: start the host (or AuditDatabaseInitializer) first.");
        }
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The audit chain writer has stopped: nothing more can be recorded.");
        }
    }

    /// <summary>One transaction: appends until a committed one is in, the batch is full or the linger has passed; then commit.</summary>
    private async Task WriteTransactionAsync()
    {
        var committing = new List<PendingAppend>();
        ChainTransaction? chain = null;
        SqliteTransaction? transaction = null;
        try
        {
            _connection ??= ChainConnection.Open(await ConnectionStringAsync(), options.Value.Synchronous);
            transaction = _connection.BeginImmediate();
            chain = new ChainTransaction(_connection, transaction, 0, ChainSource.GenesisHash, _lastIds);
            await ReadHeadAsync(chain);

            var lingerUntil = DateTime.UtcNow + Linger;
            var taken = 0;
            while (true)
            {
                while (taken < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    taken++;
                    if (await pending.RunAsync(chain, _connection))
                    {
                        committing.Add(pending);
                    }
                    if (_connection.TransactionLost)
                    {
                        throw new InvalidOperationException("SQLite rolled the audit transaction back after an error.");
                    }
                }
                if (committing.Count > 0 || taken >= MaxBatch || !await MoreWithinAsync(lingerUntil))
                {
                    break;
                }
            }

            if (chain.Appended > 0)
            {
                WriteHead(chain);
            }
            transaction.Commit();
            _committedHead = (chain.HeadSeq, chain.HeadHash);
            if (chain.Appended > 0)
            {
                _appendsCommitted.Writer.TryWrite(true);
            }
        }
        catch (Exception ex)
        {
            // Nothing in this transaction was committed: the waiters learn it; the next transaction re-reads the head.
            _committedHead = null;
            LogTransactionFailed(logger, ex, committing.Count);
            foreach (var pending in committing)
            {
                pending.Fail(ex);
            }
            committing.Clear();
            RollBackQuietly(transaction);
            if (chain is null)
            {
                // Could not even begin (e.g. no database yet): fail what is queued rather than spin on it.
                while (_queue.Reader.TryRead(out var pending))
                {
                    pending.Fail(ex);
                }
            }
        }
        finally
        {
            transaction?.Dispose();
        }
        foreach (var pending in committing)
        {
            pending.Succeed();
        }
    }

    private async Task<bool> MoreWithinAsync(DateTime until)
    {
        var remaining = until - DateTime.UtcNow;
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }
        using var linger = new CancellationTokenSource(remaining);
        try
        {
            return await _queue.Reader.WaitToReadAsync(linger.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The head as committed; when another writer moved it since our last commit, the tables' last ids are re-read
    /// too (they only grow: ids handed out by this process are never reused).
    /// </summary>
    private async Task ReadHeadAsync(ChainTransaction chain)
    {
        await using (var head = chain.CreateCommand("SELECT seq, hash FROM audit_chain_head WHERE id = 1"))
        await using (var reader = await head.ExecuteReaderAsync())
        {
            var current = await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetString(1)) : (0L, ChainSource.GenesisHash);
            chain.Reset(current);
            if (_committedHead == current)
            {
                return;
            }
        }
        await using var ids = chain.CreateCommand("SELECT name, seq FROM sqlite_sequence");
        await using var rows = await ids.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            var table = rows.GetString(0);
            _lastIds[table] = Math.Max(_lastIds.GetValueOrDefault(table), rows.GetInt64(1));
        }
    }

    private void WriteHead(ChainTransaction chain)
    {
        var command = _connection!.Prepared(
            "INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, $seq, $hash) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            ["$seq", "$hash"], chain.Transaction);
        command.Parameters[0].Value = chain.HeadSeq;
        command.Parameters[1].Value = chain.HeadHash;
        command.ExecuteNonQuery();
    }

    private async Task<string> ConnectionStringAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        return db.Database.GetConnectionString()
            ?? throw new InvalidOperationException("The audit database has no connection string.");
    }

    private static void RollBackQuietly(SqliteTransaction? transaction)
    {
        try
        {
            transaction?.Rollback();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // SQLite already ended it.
        }
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "An audit transaction failed; {Count} append(s) waiting for its commit were not recorded")]
    private static partial void LogTransactionFailed(ILogger logger, Exception exception, int count);

    /// <summary>One queued append. <see cref="RunAsync"/> writes it and says whether it still waits for the commit.</summary>
    private abstract class PendingAppend
    {
        public abstract Task<bool> RunAsync(ChainTransaction chain, ChainConnection connection);

        public abstract void Succeed();

        public abstract void Fail(Exception exception);
    }

    /// <summary>One row, one statement; acknowledged when written or when committed.</summary>
    private sealed class RowAppend<TRow>(ChainSource<TRow> source, TRow row, Durability durability) : PendingAppend
    {
        private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _written;

        public Task<bool> Completion => _completion.Task;

        public override Task<bool> RunAsync(ChainTransaction chain, ChainConnection connection)
        {
            try
            {
                _written = chain.Write(source, row);
            }
            catch (Exception ex)
            {
                Fail(ex);
                return Task.FromResult(false);
            }
            if (durability == Durability.Committed && _written)
            {
                return Task.FromResult(true);
            }
            // Nothing to wait for: written, or (a seal that matched no row) nothing written at all.
            _completion.TrySetResult(_written);
            return Task.FromResult(false);
        }

        public override void Succeed() => _completion.TrySetResult(_written);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }

    /// <summary>Writes nothing; completes with the commit of everything queued before it.</summary>
    private sealed class FlushAppend : PendingAppend
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completion => _completion.Task;

        public override Task<bool> RunAsync(ChainTransaction chain, ChainConnection connection) => Task.FromResult(true);

        public override void Succeed() => _completion.TrySetResult();

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }

    /// <summary>Arbitrary work inside a savepoint; acknowledged when committed.</summary>
    private sealed class WorkAppend<T>(Func<ChainTransaction, Task<T>> work) : PendingAppend
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Completion => _completion.Task;

        public override async Task<bool> RunAsync(ChainTransaction chain, ChainConnection connection)
        {
            var mark = chain.Mark();
            Execute(chain, "SAVEPOINT chain_append");
            try
            {
                _result = await work(chain);
                Execute(chain, "RELEASE chain_append");
                return true;
            }
            catch (Exception ex)
            {
                if (!connection.TransactionLost)
                {
                    Execute(chain, "ROLLBACK TO chain_append; RELEASE chain_append");
                }
                chain.Reset(mark);
                Fail(ex);
                return false;
            }
        }

        public override void Succeed() => _completion.TrySetResult(_result);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        private static void Execute(ChainTransaction chain, string sql)
        {
            using var command = chain.CreateCommand(sql);
            command.ExecuteNonQuery();
        }
    }
}
