using Microsoft.Data.Sqlite;

namespace Agent.Core.Auditing;

/// <summary>
/// An open write transaction at the chain's head. Each entry is one prepared statement that carries its
/// <c>seq</c>, id and hash, computed here from the values being written: nothing is read back. The head and the
/// tables' next ids live in memory; they are committed to <c>audit_chain_head</c> with the transaction.
/// </summary>
public sealed class ChainTransaction
{
    private readonly ChainConnection _connection;
    private readonly Dictionary<string, long> _lastIds;

    internal ChainTransaction(ChainConnection connection, SqliteTransaction transaction, long headSeq, string headHash, Dictionary<string, long> lastIds)
    {
        _connection = connection;
        Transaction = transaction;
        HeadSeq = headSeq;
        HeadHash = headHash;
        _lastIds = lastIds;
    }

    internal SqliteTransaction Transaction { get; }

    public long HeadSeq { get; private set; }

    public string HeadHash { get; private set; } = ChainSource.GenesisHash;

    public long NextSeq => HeadSeq + 1;

    /// <summary>Entries appended in this transaction so far.</summary>
    internal int Appended { get; private set; }

    public Task AddRequestAsync(RunRecord request) => AddAsync(AuditTables.Request, request);

    public Task AddDecisionAsync(DecisionRecord decision) => AddAsync(AuditTables.Decision, decision);

    public Task AddToolExecutionAsync(ToolExecutionRecord execution) => AddAsync(AuditTables.ToolExecution, execution);

    public Task AddSecurityEventAsync(SecurityEventRecord securityEvent) => AddAsync(AuditTables.SecurityEvent, securityEvent);

    public Task AddPruneAsync(AuditPruneRecord prune) => AddAsync(AuditTables.Prune, prune);

    /// <summary>Writes a run's final columns and chains them as its completion entry. False when the run is unknown or already complete.</summary>
    public Task<bool> CompleteRequestAsync(string requestId, string status, string? output, string? error, DateTimeOffset completedAt, long? durationMs) =>
        Task.FromResult(Write(AuditTables.RequestCompletion, new RunCompletion(requestId, status, output, error, completedAt, durationMs)));

    internal Task AddAsync<TRow>(ChainSource<TRow> source, TRow row)
    {
        if (!Write(source, row))
        {
            throw new InvalidOperationException($"Audit row for {source.Table} was not written.");
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// One entry, one statement: assigns the id and seq, hashes the values, writes them. The head moves only when the
    /// statement succeeded; a failing statement is undone by SQLite alone, so it needs no savepoint. False when a
    /// sealing statement matched no row.
    /// </summary>
    internal bool Write<TRow>(ChainSource<TRow> source, TRow row)
    {
        var seq = NextSeq;
        long? id = null;
        if (source.AssignId is { } assign)
        {
            id = (_lastIds.TryGetValue(source.Table, out var last) ? last : 0) + 1;
            assign(row, id.Value);
        }
        var hash = ChainSource.NextHash(HeadHash, source.Canonical(seq, row));
        var command = _connection.Prepared(source.WriteStatement, source.WriteParameters, Transaction);
        var parameters = command.Parameters;
        var columns = source.Columns;
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i].Value = columns[i].Value(row) ?? DBNull.Value;
        }
        parameters[columns.Count].Value = seq;
        parameters[columns.Count + 1].Value = hash;
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }
        if (id is { } written)
        {
            _lastIds[source.Table] = written;
        }
        (HeadSeq, HeadHash) = (seq, hash);
        Appended++;
        return true;
    }

    /// <summary>The stored hash of the entry at <paramref name="seq"/>, or null when no such entry exists.</summary>
    internal async Task<string?> HashAtAsync(long seq)
    {
        if (seq == 0)
        {
            return ChainSource.GenesisHash;
        }
        foreach (var source in AuditTables.Sources)
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

    /// <summary>A statement prepared once per connection, enlisted in this transaction (the search index's batches).</summary>
    internal SqliteCommand Prepared(string sql, IReadOnlyList<string> parameters) => _connection.Prepared(sql, parameters, Transaction);

    /// <summary>An ad-hoc statement inside this transaction (retention's queries and deletes).</summary>
    internal SqliteCommand CreateCommand(string sql)
    {
        var command = _connection.Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    internal (long Seq, string Hash) Mark() => (HeadSeq, HeadHash);

    /// <summary>
    /// Back to a <see cref="Mark"/> after an append was rolled back to its savepoint. Ids are left as they are: an id
    /// handed out once is never handed out again, even if its row was rolled back.
    /// </summary>
    internal void Reset((long Seq, string Hash) mark) => (HeadSeq, HeadHash) = mark;
}
