using System.Data.Common;
using System.Security.Cryptography;

namespace Agent.Core.Auditing;

/// <summary>
/// One kind of audit-chain entry: which table holds it, which columns its hash covers, and where its sequence number and
/// hash live. A <c>requests</c> row holds two entries: the start (immutable columns) and the completion.
/// </summary>
internal sealed record ChainSource(string Kind, string Table, string KeyColumn, string SeqColumn, string HashColumn, string[] Columns, string[]? OptionalColumns = null)
{
    public static readonly ChainSource Request = new("request", "requests", "id", "seq", "hash",
        ["id", "input", "source", "principal", "client_ip", "created_at"]);

    public static readonly ChainSource RequestCompletion = new("request_completion", "requests", "id", "completion_seq", "completion_hash",
        ["id", "status", "output", "error", "completed_at", "duration_ms"]);

    public static readonly ChainSource Decision = new("decision", "decisions", "id", "seq", "hash",
        ["id", "request_id", "step", "reasoning", "selected_tools", "model", "input_tokens", "output_tokens", "latency_ms", "created_at", "finish_reason"],
        ["finish_reason"]);

    public static readonly ChainSource ToolExecution = new("tool_execution", "tool_executions", "id", "seq", "hash",
        ["id", "request_id", "decision_id", "tool_name", "input", "output", "status", "error", "duration_ms", "created_at", "policy"],
        ["policy"]);

    public static readonly ChainSource SecurityEvent = new("security_event", "security_events", "id", "seq", "hash",
        ["id", "created_at", "client_ip", "method", "route", "status_code", "reason", "principal", "count", "window_end"],
        ["count", "window_end"]);

    public static readonly ChainSource Prune = new("prune", "audit_prunes", "id", "seq", "hash",
        ["id", "pruned_at", "cutoff", "first_kept_seq", "first_kept_prev_hash", "deleted_entries"]);

    public static readonly IReadOnlyList<ChainSource> All = [Request, RequestCompletion, Decision, ToolExecution, SecurityEvent, Prune];

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Columns 0..2 are seq, hash and key; the hashed columns follow.</summary>
    private string Select => $"SELECT {SeqColumn}, {HashColumn}, {KeyColumn}, {string.Join(", ", Columns)} FROM {Table}";

    public string SelectInChainOrder => $"{Select} WHERE {SeqColumn} IS NOT NULL ORDER BY {SeqColumn}";

    public string SelectByKey => $"{Select} WHERE {KeyColumn} = $key";

    public string UpdateHash => $"UPDATE {Table} SET {HashColumn} = $hash WHERE {KeyColumn} = $key";

    public string HashAtSeq => $"SELECT {HashColumn} FROM {Table} WHERE {SeqColumn} = $seq";

    public string MaxSeq => $"SELECT MAX({SeqColumn}) FROM {Table}";

    public static ChainEntry Read(ChainSource source, DbDataReader row)
    {
        var canonical = new CanonicalJson().Add("kind", source.Kind).Add("seq", row.GetInt64(0));
        for (var i = 0; i < source.Columns.Length; i++)
        {
            // Columns added later are left out while null, so rows written before them hash exactly as they did.
            if (row.IsDBNull(3 + i) && source.OptionalColumns?.Contains(source.Columns[i]) == true)
            {
                continue;
            }
            canonical.Add(source.Columns[i], row.GetValue(3 + i));
        }
        return new ChainEntry(source, row.GetInt64(0), row.IsDBNull(1) ? "" : row.GetValue(1).ToString()!,
            Convert.ToString(row.GetValue(2), System.Globalization.CultureInfo.InvariantCulture) ?? "", canonical.ToUtf8Bytes());
    }

    /// <summary>hash = SHA-256(previous hash bytes || canonical content), lower-case hex.</summary>
    public static string NextHash(string previousHash, byte[] canonical)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Convert.FromHexString(previousHash));
        sha.AppendData(canonical);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>One entry as read from the database: its stored hash and the canonical bytes the hash must cover.</summary>
internal sealed record ChainEntry(ChainSource Source, long Seq, string StoredHash, string Key, byte[] Canonical);
