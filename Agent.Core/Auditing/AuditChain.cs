using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Auditing;

/// <summary>
/// The tamper-evident audit chain: one append-only sequence over every audit row. Each entry has a global <c>seq</c> and
/// <c>hash = SHA-256(previous entry's hash || canonical JSON of the entry's content)</c>; the first entry follows
/// <see cref="ChainSource.GenesisHash"/>. The newest entry is mirrored in <c>audit_chain_head</c>.
/// <para>
/// <c>requests</c> rows are updated when a run ends, so a request row carries two entries: its start entry
/// (<c>seq</c>/<c>hash</c> over the columns that never change) and a completion entry
/// (<c>completion_seq</c>/<c>completion_hash</c> over status, output, error, completed_at and duration_ms), appended
/// when the run completes. A row without a completion entry must still read <c>running</c> with empty completion
/// columns; anything else is reported as tampering.
/// </para>
/// <para>
/// Appends are serialized twice: one in-process writer drains a queue (appends waiting together share a transaction,
/// so concurrent runs share commits), and <c>BEGIN IMMEDIATE</c> takes the database write lock before the head is
/// read, so no two writers (even in two processes) can extend the same head and fork the chain.
/// </para>
/// </summary>
public sealed class AuditChain(IDbContextFactory<AuditDbContext> contexts)
{
    /// <summary>Appends taken into one transaction at most; bounds the work a single commit can hold back.</summary>
    internal const int MaxBatch = 128;

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _writerLock = new();
    private Task? _writer;

    /// <summary>
    /// Runs <paramref name="work"/> at the chain's head and returns once it is committed. Appends waiting at the same
    /// time share one transaction (group commit), each inside its own savepoint so that one failing append fails alone.
    /// Once queued, an append is written even if the caller stops waiting: an audit row is never half-abandoned.
    /// </summary>
    public Task<T> AppendAsync<T>(Func<ChainTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingAppend<T>(work);
        _queue.Writer.TryWrite(pending);
        EnsureWriter();
        return pending.Completion.WaitAsync(cancellationToken);
    }

    private void EnsureWriter()
    {
        lock (_writerLock)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception ex)
            {
                // The transaction failed as a whole (e.g. the commit): nothing in it was acknowledged.
                foreach (var pending in batch)
                {
                    pending.Fail(ex);
                }
            }
        }
    }

    private async Task WriteBatchAsync(List<PendingAppend> batch)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var transaction = connection.BeginTransaction(deferred: false);
        await db.Database.UseTransactionAsync(transaction);

        var head = await db.ChainHead.SingleOrDefaultAsync();
        var chain = new ChainTransaction(db, transaction, head?.Seq ?? 0, head?.Hash ?? ChainSource.GenesisHash);
        var succeeded = new List<PendingAppend>(batch.Count);
        foreach (var pending in batch)
        {
            var (seq, hash) = (chain.HeadSeq, chain.HeadHash);
            await ExecuteAsync(chain, "SAVEPOINT chain_append");
            try
            {
                await pending.RunAsync(chain);
                await ExecuteAsync(chain, "RELEASE chain_append");
                succeeded.Add(pending);
            }
            catch (Exception ex)
            {
                await ExecuteAsync(chain, "ROLLBACK TO chain_append; RELEASE chain_append");
                db.ChangeTracker.Clear();
                chain.ResetHead(seq, hash);
                pending.Fail(ex);
            }
        }

        if (chain.HeadSeq != (head?.Seq ?? 0))
        {
            db.ChangeTracker.Clear();
            if (head is null)
            {
                db.ChainHead.Add(new ChainHeadRecord { Seq = chain.HeadSeq, Hash = chain.HeadHash });
            }
            else
            {
                db.ChainHead.Attach(head);
                (head.Seq, head.Hash) = (chain.HeadSeq, chain.HeadHash);
            }
            await db.SaveChangesAsync();
        }
        await transaction.CommitAsync();
        foreach (var pending in succeeded)
        {
            pending.Succeed();
        }
    }

    private static async Task ExecuteAsync(ChainTransaction chain, string sql)
    {
        await using var command = chain.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One queued append: runs inside the batch's transaction, completes only after the commit.</summary>
    private abstract class PendingAppend
    {
        public abstract Task RunAsync(ChainTransaction chain);
        public abstract void Succeed();
        public abstract void Fail(Exception exception);
    }

    private sealed class PendingAppend<T>(Func<ChainTransaction, Task<T>> work) : PendingAppend
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Completion => _completion.Task;

        public override async Task RunAsync(ChainTransaction chain) => _result = await work(chain);

        public override void Succeed() => _completion.TrySetResult(_result);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}

/// <summary>An open append: adds rows at the head of the chain and seals each with its hash.</summary>
public sealed class ChainTransaction
{
    private readonly SqliteTransaction _transaction;

    internal ChainTransaction(AuditDbContext db, SqliteTransaction transaction, long headSeq, string headHash)
    {
        Db = db;
        _transaction = transaction;
        HeadSeq = headSeq;
        HeadHash = headHash;
    }

    public AuditDbContext Db { get; }

    public long HeadSeq { get; private set; }

    public string HeadHash { get; private set; }

    public long NextSeq => HeadSeq + 1;

    /// <summary>Back to where the head was before an append that was rolled back to its savepoint.</summary>
    internal void ResetHead(long seq, string hash) => (HeadSeq, HeadHash) = (seq, hash);

    public async Task AddRequestAsync(RequestRecord request)
    {
        request.Seq = NextSeq;
        await InsertAsync(request, ChainSource.Request, request.Id);
        request.Hash = HeadHash;
    }

    public async Task AddDecisionAsync(DecisionRecord decision)
    {
        decision.Seq = NextSeq;
        await InsertAsync(decision, ChainSource.Decision, () => decision.Id);
        decision.Hash = HeadHash;
    }

    public async Task AddToolExecutionAsync(ToolExecutionRecord execution)
    {
        execution.Seq = NextSeq;
        await InsertAsync(execution, ChainSource.ToolExecution, () => execution.Id);
        execution.Hash = HeadHash;
    }

    public async Task AddSecurityEventAsync(SecurityEventRecord securityEvent)
    {
        securityEvent.Seq = NextSeq;
        await InsertAsync(securityEvent, ChainSource.SecurityEvent, () => securityEvent.Id);
        securityEvent.Hash = HeadHash;
    }

    public async Task AddPruneAsync(AuditPruneRecord prune)
    {
        prune.Seq = NextSeq;
        await InsertAsync(prune, ChainSource.Prune, () => prune.Id);
        prune.Hash = HeadHash;
    }

    /// <summary>Writes a run's final columns and chains them as its completion entry. False when the run is unknown or already complete.</summary>
    public async Task<bool> CompleteRequestAsync(string requestId, string status, string? output, string? error, DateTimeOffset completedAt, long? durationMs)
    {
        var seq = NextSeq;
        var updated = await Db.Requests
            .Where(r => r.Id == requestId && r.CompletionSeq == null)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.Output, output)
                .SetProperty(r => r.Error, error)
                .SetProperty(r => r.CompletedAt, completedAt)
                .SetProperty(r => r.DurationMs, durationMs)
                .SetProperty(r => r.CompletionSeq, seq));
        if (updated == 0)
        {
            return false;
        }
        await SealAsync(ChainSource.RequestCompletion, requestId);
        return true;
    }

    /// <summary>The stored hash of the entry at <paramref name="seq"/>, or null when no such entry exists.</summary>
    internal async Task<string?> HashAtAsync(long seq)
    {
        if (seq == 0)
        {
            return ChainSource.GenesisHash;
        }
        foreach (var source in ChainSource.All)
        {
            await using var command = CreateCommand(source.HashAtSeq);
            command.Parameters.AddWithValue("$seq", seq);
            if (await command.ExecuteScalarAsync() is string hash)
            {
                return hash;
            }
        }
        return null;
    }

    internal SqliteCommand CreateCommand(string sql)
    {
        var command = _transaction.Connection!.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    private Task InsertAsync<TEntity>(TEntity entity, ChainSource source, string key) where TEntity : class =>
        InsertAsync(entity, source, () => key);

    /// <summary>Inserts the row, then hashes it exactly as stored (its generated id included) and writes the hash.</summary>
    private async Task InsertAsync<TEntity>(TEntity entity, ChainSource source, Func<object> key) where TEntity : class
    {
        Db.Add(entity);
        await Db.SaveChangesAsync();
        Db.Entry(entity).State = EntityState.Detached;
        await SealAsync(source, key());
    }

    private async Task SealAsync(ChainSource source, object key)
    {
        ChainEntry entry;
        await using (var select = CreateCommand(source.SelectByKey))
        {
            select.Parameters.AddWithValue("$key", key);
            await using var reader = await select.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                throw new InvalidOperationException($"Audit row {source.Table} {key} vanished before it was sealed.");
            }
            entry = ChainSource.Read(source, reader);
        }
        if (entry.Seq != NextSeq)
        {
            throw new InvalidOperationException($"Audit row {source.Table} {key} has seq {entry.Seq}, expected {NextSeq}.");
        }
        var hash = ChainSource.NextHash(HeadHash, entry.Canonical);
        await using (var update = CreateCommand(source.UpdateHash))
        {
            update.Parameters.AddWithValue("$hash", hash);
            update.Parameters.AddWithValue("$key", key);
            await update.ExecuteNonQueryAsync();
        }
        (HeadSeq, HeadHash) = (entry.Seq, hash);
    }
}
