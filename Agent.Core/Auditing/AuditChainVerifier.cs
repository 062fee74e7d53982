using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Auditing;

/// <summary>Outcome of a chain verification: OK, or the first broken link in chain order.</summary>
public sealed record ChainVerification(bool IsValid, long EntriesVerified, long? HeadSeq, string? HeadHash, ChainBreak? Break)
{
    /// <summary>The verified point an incremental check resumed from (entries counted are those after it); null for a full walk.</summary>
    public long? ResumedFromSeq { get; init; }
}

/// <summary>Where the chain breaks: the row (table and id) whose entry does not follow from its predecessor.</summary>
public sealed record ChainBreak(string Table, string RowId, long? Seq, string Reason)
{
    public override string ToString() => $"{Table} id {RowId}{(Seq is { } seq ? $" (seq {seq})" : "")}: {Reason}";
}

/// <summary>
/// Walks every chain entry in <c>seq</c> order inside one read snapshot, recomputing each hash from the row as stored.
/// Reports the first entry that was edited, inserted out of order, or whose predecessor is missing, and a chain head
/// that is ahead of the last entry (newest rows deleted). After a retention prune the walk starts at the first kept
/// entry, from the predecessor hash the latest prune marker recorded.
/// </summary>
public sealed class AuditChainVerifier(IDbContextFactory<AuditDbContext> contexts)
{
    public Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default) => WalkAsync(null, cancellationToken);

    /// <summary>
    /// Incremental verification from a point an earlier walk verified: checks that the entry at <paramref name="fromSeq"/>
    /// still carries <paramref name="fromHash"/>, then walks only the later entries. An edit to an entry before that point
    /// is NOT found here (its successors' hashes are not recomputed); only <see cref="VerifyAsync"/> finds it. When
    /// retention pruned the point away, this falls back to a full walk from the prune anchor.
    /// </summary>
    public Task<ChainVerification> VerifyFromAsync(long fromSeq, string fromHash, CancellationToken cancellationToken = default) =>
        WalkAsync((fromSeq, fromHash), cancellationToken);

    private async Task<ChainVerification> WalkAsync((long Seq, string Hash)? from, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        // A deferred transaction is a consistent snapshot in WAL mode: writers continue, we see none of their changes.
        await using var snapshot = connection.BeginTransaction(deferred: true);

        var head = await ReadHeadAsync(connection, snapshot, cancellationToken);
        var anchor = await ReadLatestPruneAsync(connection, snapshot, cancellationToken);
        var unsealedCompletion = await ReadUnsealedAsync(connection, snapshot, cancellationToken);
        if (from is { } point)
        {
            var stored = await ReadEntryAtAsync(connection, snapshot, point.Seq, cancellationToken);
            if (stored is null && anchor is { } pruned && pruned.FirstKeptSeq > point.Seq)
            {
                from = null; // retention removed the verified point: start again from the prune anchor
            }
            else if (stored is null)
            {
                return new ChainVerification(false, 0, null, null, new ChainBreak("audit_chain", "", point.Seq,
                    $"the verified entry at seq {point.Seq} is missing: it was removed without a prune record"));
            }
            else if (!string.Equals(stored.Value.Hash, point.Hash, StringComparison.Ordinal))
            {
                return new ChainVerification(false, 0, null, null, new ChainBreak(stored.Value.Table, stored.Value.Key, point.Seq,
                    $"the entry at seq {point.Seq} no longer has the hash verified earlier: it was rewritten"));
            }
        }

        var cursors = new List<Cursor>();
        try
        {
            foreach (var source in AuditTables.Sources)
            {
                var command = Command(connection, snapshot, from is null ? source.SelectInChainOrder : source.SelectInChainOrderAfter);
                if (from is { } after)
                {
                    command.Parameters.AddWithValue("$from", after.Seq);
                }
                var cursor = new Cursor(source, command, await command.ExecuteReaderAsync(cancellationToken));
                await cursor.MoveNextAsync(cancellationToken);
                cursors.Add(cursor);
            }

            long count = 0;
            ChainEntry? last = null;
            var previousHash = from?.Hash ?? ChainSource.GenesisHash;
            while (cursors.Where(c => c.Current is not null).MinBy(c => c.Current!.Seq) is { } cursor)
            {
                var entry = cursor.Current!;
                if (unsealedCompletion is { } unsealed && unsealed.Seq <= entry.Seq)
                {
                    return Unsealed(unsealed);
                }
                if (last is null && from is { } resumed)
                {
                    if (entry.Seq != resumed.Seq + 1)
                    {
                        return Broken(entry, $"the preceding entry (seq {entry.Seq - 1}) is missing");
                    }
                }
                else if (last is null)
                {
                    if (entry.Seq != 1)
                    {
                        if (anchor is null)
                        {
                            return Broken(entry, $"the chain starts at seq {entry.Seq}: earlier entries were removed without a prune record");
                        }
                        if (anchor.Value.FirstKeptSeq != entry.Seq)
                        {
                            return Broken(entry, $"the chain starts at seq {entry.Seq}, but the last prune kept everything from seq {anchor.Value.FirstKeptSeq}");
                        }
                        previousHash = anchor.Value.PrevHash;
                    }
                }
                else if (entry.Seq == last.Seq)
                {
                    return Broken(entry, $"seq {entry.Seq} is used twice (also by {last.Source.Table} id {last.Key})");
                }
                else if (entry.Seq != last.Seq + 1)
                {
                    return Broken(entry, $"the preceding entry (seq {entry.Seq - 1}) is missing");
                }

                if (!TryNextHash(previousHash, entry.Canonical, out var expected) || !string.Equals(expected, entry.StoredHash, StringComparison.Ordinal))
                {
                    return Broken(entry, "content does not match its hash: the row was modified");
                }
                previousHash = entry.StoredHash;
                last = entry;
                count++;
                await cursor.MoveNextAsync(cancellationToken);
            }

            if (unsealedCompletion is { } remaining)
            {
                return Unsealed(remaining);
            }
            // Resumed with nothing new: the verified point is the last entry.
            var (lastSeq, lastHash) = last is not null ? (last.Seq, last.StoredHash) : from is { } f ? (f.Seq, f.Hash) : ((long?)null, (string?)null);
            if (head is { } h && (lastSeq is null || h.Seq != lastSeq || h.Hash != lastHash))
            {
                return new ChainVerification(false, count, h.Seq, h.Hash, new ChainBreak("audit_chain_head", ChainHeadRecord.SingletonId.ToString(System.Globalization.CultureInfo.InvariantCulture), h.Seq,
                    $"the head records seq {h.Seq} but the last entry is {(last is not null ? $"seq {last.Seq} ({last.Source.Table} id {last.Key})" : lastSeq is { } ls ? $"seq {ls}" : "missing")}: newer entries were removed or altered"))
                { ResumedFromSeq = from?.Seq };
            }
            if (head is null && last is not null)
            {
                return Broken(last, "the chain head record is missing");
            }
            if (head is null && from is not null)
            {
                return new ChainVerification(false, count, lastSeq, lastHash, new ChainBreak("audit_chain_head", "1", lastSeq, "the chain head record is missing")) { ResumedFromSeq = from?.Seq };
            }
            return new ChainVerification(true, count, lastSeq, lastHash, null) { ResumedFromSeq = from?.Seq };

            ChainVerification Broken(ChainEntry at, string reason) =>
                new(false, count, last?.Seq, last?.StoredHash, new ChainBreak(at.Source.Table, at.Key, at.Seq, reason)) { ResumedFromSeq = from?.Seq };
        }
        finally
        {
            foreach (var cursor in cursors)
            {
                await cursor.DisposeAsync();
            }
        }

        ChainVerification Unsealed((string Id, long Seq) unsealed) =>
            new(false, 0, null, null, new ChainBreak(AuditTables.RequestCompletion.Table, unsealed.Id, unsealed.Seq,
                "completion columns differ from a running run but no completion entry was chained: the row was modified"));
    }

    private static bool TryNextHash(string previousHash, byte[] canonical, out string hash)
    {
        try
        {
            hash = ChainSource.NextHash(previousHash, canonical);
            return true;
        }
        catch (FormatException)
        {
            hash = "";
            return false;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static async Task<(long Seq, string Hash)?> ReadHeadAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT seq, hash FROM audit_chain_head WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static async Task<(string Table, string Key, string Hash)?> ReadEntryAtAsync(SqliteConnection connection, SqliteTransaction transaction, long seq, CancellationToken cancellationToken)
    {
        foreach (var source in AuditTables.Sources)
        {
            await using var command = Command(connection, transaction, source.KeyAndHashAtSeq);
            command.Parameters.AddWithValue("$seq", seq);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return (source.Table, Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "", reader.IsDBNull(1) ? "" : reader.GetString(1));
            }
        }
        return null;
    }

    private static async Task<(long FirstKeptSeq, string PrevHash)?> ReadLatestPruneAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT first_kept_seq, first_kept_prev_hash FROM audit_prunes ORDER BY seq DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>A row whose sealed columns were filled in without a chained sealing entry (a finished status on a run with no completion).</summary>
    private static async Task<(string Id, long Seq)?> ReadUnsealedAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var source in AuditTables.Sources.Where(s => s.UnsealedWhen is not null))
        {
            var first = AuditTables.SourcesOf(source.Table).First();
            await using var command = Command(connection, transaction,
                $"SELECT {source.KeyColumn}, {first.SeqColumn} FROM {source.Table} WHERE {source.SeqColumn} IS NULL AND ({source.UnsealedWhen}) ORDER BY {first.SeqColumn} LIMIT 1");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return (Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "", reader.GetInt64(1));
            }
        }
        return null;
    }

    /// <summary>One table's entries in seq order; the walk merges the cursors of every source.</summary>
    private sealed class Cursor(ChainSource source, DbCommand command, DbDataReader reader) : IAsyncDisposable
    {
        public ChainEntry? Current { get; private set; }

        public async Task MoveNextAsync(CancellationToken cancellationToken) =>
            Current = await reader.ReadAsync(cancellationToken) ? source.Read(reader) : null;

        public async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await command.DisposeAsync();
        }
    }
}
