using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

namespace Agent.Core.Auditing;

/// <summary>How an entry is written: a new row, or sealing columns of an existing row (a run's completion).</summary>
internal enum ChainWrite
{
    Insert,
    Seal,
}

/// <summary>What a column is to an entry: hashed, hashed only when set (columns added later), or stored unhashed.</summary>
internal enum ChainColumnRole
{
    Hashed,
    HashedWhenSet,
    Stored,
}

/// <summary>One column of an entry, named as in the database, with its stored value read from the row being written.</summary>
internal sealed record ChainColumn<TRow>(string Name, Func<TRow, object?> Value, ChainColumnRole Role);

/// <summary>
/// One kind of audit-chain entry: which table holds it, which columns its hash covers, and where its sequence number and
/// hash live. A <c>requests</c> row holds two entries: the start (immutable columns) and the completion.
/// The writer hashes the values it is about to store; the verifier hashes the same columns as read back; both build
/// the canonical form here, from the one column list in <see cref="AuditTables"/>.
/// </summary>
internal abstract class ChainSource(string kind, string table, string keyColumn, string seqColumn, string hashColumn)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public string Kind { get; } = kind;
    public string Table { get; } = table;
    public string KeyColumn { get; } = keyColumn;
    public string SeqColumn { get; } = seqColumn;
    public string HashColumn { get; } = hashColumn;

    /// <summary>Columns the entry's hash covers, with whether a null value is left out of the canonical form.</summary>
    public abstract IReadOnlyList<(string Name, bool OmitWhenNull)> HashedColumns { get; }

    /// <summary>Every column the entry writes (hashed and stored), in statement order.</summary>
    public abstract IReadOnlyList<string> WrittenColumns { get; }

    public abstract ChainWrite Write { get; }

    /// <summary>For a sealing entry: the SQL condition that a row has its columns filled in without the entry (tampering).</summary>
    public string? UnsealedWhen { get; init; }

    private string? _writeStatement;
    private IReadOnlyList<string>? _writeParameters;

    /// <summary>Columns 0..2 are seq, hash and key; the hashed columns follow.</summary>
    private string Select => $"SELECT {SeqColumn}, {HashColumn}, {KeyColumn}, {string.Join(", ", HashedColumns.Select(c => c.Name))} FROM {Table}";

    public string SelectInChainOrder => $"{Select} WHERE {SeqColumn} IS NOT NULL ORDER BY {SeqColumn}";

    /// <summary>Entries after a verified point (<c>$from</c>), in chain order: the walk of an incremental verification.</summary>
    public string SelectInChainOrderAfter => $"{Select} WHERE {SeqColumn} > $from ORDER BY {SeqColumn}";

    /// <summary>The key and hash of the entry at <c>$seq</c>, if this source holds it.</summary>
    public string KeyAndHashAtSeq => $"SELECT {KeyColumn}, {HashColumn} FROM {Table} WHERE {SeqColumn} = $seq";

    public string HashAtSeq => $"SELECT {HashColumn} FROM {Table} WHERE {SeqColumn} = $seq";

    /// <summary>The one statement that writes the entry: parameters <c>$c0..</c> in <see cref="WrittenColumns"/> order, then <c>$seq</c> and <c>$hash</c>.</summary>
    public string WriteStatement => _writeStatement ??= Write switch
    {
        ChainWrite.Insert =>
            $"INSERT INTO {Table} ({string.Join(", ", WrittenColumns)}, {SeqColumn}, {HashColumn}) " +
            $"VALUES ({string.Join(", ", WrittenColumns.Select((_, i) => $"$c{i}"))}, $seq, $hash)",
        _ =>
            $"UPDATE {Table} SET {string.Join(", ", WrittenColumns.Select((c, i) => (c, i)).Where(x => x.c != KeyColumn).Select(x => $"{x.c} = $c{x.i}"))}, " +
            $"{SeqColumn} = $seq, {HashColumn} = $hash WHERE {KeyColumn} = $c{IndexOfKey} AND {SeqColumn} IS NULL",
    };

    /// <summary>The parameters of <see cref="WriteStatement"/> in binding order: one per written column, then seq and hash.</summary>
    public IReadOnlyList<string> WriteParameters => _writeParameters ??= [.. WrittenColumns.Select((_, i) => $"$c{i}"), "$seq", "$hash"];

    private int IndexOfKey => WrittenColumns.ToList().IndexOf(KeyColumn);

    /// <summary>An entry as stored: its canonical bytes rebuilt from the row the reader is on (<see cref="SelectInChainOrder"/>).</summary>
    public ChainEntry Read(DbDataReader row)
    {
        var seq = row.GetInt64(0);
        var canonical = Canonical(seq);
        for (var i = 0; i < HashedColumns.Count; i++)
        {
            var value = row.IsDBNull(3 + i) ? null : row.GetValue(3 + i);
            if (value is not null || !HashedColumns[i].OmitWhenNull)
            {
                canonical.Add(HashedColumns[i].Name, value);
            }
        }
        return new ChainEntry(this, seq, row.IsDBNull(1) ? "" : row.GetValue(1).ToString()!,
            Convert.ToString(row.GetValue(2), CultureInfo.InvariantCulture) ?? "", canonical.ToUtf8Bytes());
    }

    protected CanonicalJson Canonical(long seq) => new CanonicalJson().Add("kind", Kind).Add("seq", seq);

    /// <summary>hash = SHA-256(previous hash bytes || canonical content), lower-case hex.</summary>
    public static string NextHash(string previousHash, byte[] canonical)
    {
        // Every entry is hashed on the writer's thread; its hash object is kept rather than created per entry.
        var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> hash = stackalloc byte[32];
        try
        {
            sha.AppendData(Convert.FromHexString(previousHash));
            sha.AppendData(canonical);
        }
        catch
        {
            // Nothing half-appended may leak into the next entry's hash.
            sha.GetHashAndReset(hash);
            throw;
        }
        sha.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    [ThreadStatic]
    private static IncrementalHash? t_sha256;
}

/// <summary>An entry kind over rows of type <typeparamref name="TRow"/>: the column list, built one line per column.</summary>
internal sealed class ChainSource<TRow>(string kind, string table, string keyColumn, string seqColumn = "seq", string hashColumn = "hash", ChainWrite write = ChainWrite.Insert)
    : ChainSource(kind, table, keyColumn, seqColumn, hashColumn)
{
    private readonly List<ChainColumn<TRow>> _columns = [];

    public override ChainWrite Write { get; } = write;

    public IReadOnlyList<ChainColumn<TRow>> Columns => _columns;

    private IReadOnlyList<(string Name, bool OmitWhenNull)>? _hashed;
    private IReadOnlyList<string>? _written;

    // Columns are only added while the registry is built, so the lists are computed once, on first use.
    public override IReadOnlyList<(string Name, bool OmitWhenNull)> HashedColumns =>
        _hashed ??= [.. _columns.Where(c => c.Role != ChainColumnRole.Stored).Select(c => (c.Name, c.Role == ChainColumnRole.HashedWhenSet))];

    public override IReadOnlyList<string> WrittenColumns => _written ??= [.. _columns.Select(c => c.Name)];

    /// <summary>For rows whose integer key the writer assigns before the insert (the table's next id).</summary>
    public Action<TRow, long>? AssignId { get; init; }

    /// <summary>A column the hash covers, null included.</summary>
    public ChainSource<TRow> Hashed(string name, Func<TRow, object?> value) => With(name, value, ChainColumnRole.Hashed);

    /// <summary>A column added after rows were chained: hashed when set, left out when null so older rows keep their bytes.</summary>
    public ChainSource<TRow> HashedWhenSet(string name, Func<TRow, object?> value) => With(name, value, ChainColumnRole.HashedWhenSet);

    /// <summary>A column written with the entry but covered by another entry (a run's status, sealed by its completion).</summary>
    public ChainSource<TRow> Stored(string name, Func<TRow, object?> value) => With(name, value, ChainColumnRole.Stored);

    /// <summary>The canonical bytes of <paramref name="row"/> at <paramref name="seq"/>, from the values about to be stored.</summary>
    public byte[] Canonical(long seq, TRow row)
    {
        var canonical = Canonical(seq);
        foreach (var column in _columns)
        {
            if (column.Role == ChainColumnRole.Stored)
            {
                continue;
            }
            var value = column.Value(row);
            if (value is not null || column.Role == ChainColumnRole.Hashed)
            {
                canonical.Add(column.Name, value);
            }
        }
        return canonical.ToUtf8Bytes();
    }

    private ChainSource<TRow> With(string name, Func<TRow, object?> value, ChainColumnRole role)
    {
        _columns.Add(new ChainColumn<TRow>(name, value, role));
        return this;
    }
}

/// <summary>One entry as read from the database: its stored hash and the canonical bytes the hash must cover.</summary>
internal sealed record ChainEntry(ChainSource Source, long Seq, string StoredHash, string Key, byte[] Canonical);
