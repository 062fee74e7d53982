namespace Agent.Core.Auditing;

/// <summary>
/// The full-text index over the audit (<c>requests_fts</c>, <c>tool_executions_fts</c>: external-content FTS5 tables, so
/// the text is stored once, in the audit tables). It is not written by the commits that append rows but caught up in
/// batches by <see cref="AuditSearchIndexer"/>, inside a chain transaction, up to a high-water mark kept in
/// <c>audit_fts_state</c> and committed with the index: after a crash the index holds exactly the entries up to the
/// mark, and the next pass indexes everything after it.
/// <para>
/// Invariant: the index holds every entry with <c>seq</c> ≤ the mark, as of the mark. A run whose start is at or
/// below the mark and whose completion is above it is indexed with its input only (output and error were still null
/// then); when its completion is indexed, that entry is taken out again with the same values and the full row goes in.
/// External-content FTS5 removes a document only given the values it indexed, which this invariant always knows.
/// </para>
/// </summary>
internal static class AuditSearchIndex
{
    private const string ReadMark = "SELECT indexed_seq FROM audit_fts_state WHERE id = 1";

    private const string WriteMark =
        "INSERT INTO audit_fts_state (id, indexed_seq) VALUES (1, $to) ON CONFLICT (id) DO UPDATE SET indexed_seq = excluded.indexed_seq";

    // Runs started at or below the mark and completed in (from, to]: out with the values indexed at their start.
    private const string RemoveStarted = """
        INSERT INTO requests_fts (requests_fts, rowid, input, output, error)
        SELECT 'delete', seq, input, NULL, NULL FROM requests
        WHERE completion_seq > $from AND completion_seq <= $to AND seq <= $from
        """;

    // Runs started in (from, to], with output and error only if completed by `to`; and the runs just taken out, in full.
    private const string AddRequests = """
        INSERT INTO requests_fts (rowid, input, output, error)
        SELECT seq, input,
               CASE WHEN completion_seq <= $to THEN output END,
               CASE WHEN completion_seq <= $to THEN error END
        FROM requests WHERE seq > $from AND seq <= $to
        UNION ALL
        SELECT seq, input, output, error FROM requests
        WHERE completion_seq > $from AND completion_seq <= $to AND seq <= $from
        """;

    private const string AddExecutions = """
        INSERT INTO tool_executions_fts (rowid, input, output, error)
        SELECT id, input, output, error FROM tool_executions WHERE seq > $from AND seq <= $to
        """;

    // Before retention deletes rows below $b: each indexed row out with the values the index holds for it.
    private const string RemovePrunedRequests = """
        INSERT INTO requests_fts (requests_fts, rowid, input, output, error)
        SELECT 'delete', seq, input,
               CASE WHEN completion_seq <= $mark THEN output END,
               CASE WHEN completion_seq <= $mark THEN error END
        FROM requests WHERE seq < $b AND seq <= $mark
        """;

    private const string RemovePrunedExecutions = """
        INSERT INTO tool_executions_fts (tool_executions_fts, rowid, input, output, error)
        SELECT 'delete', id, input, output, error FROM tool_executions WHERE seq < $b AND seq <= $mark
        """;

    private static readonly string[] Range = ["$from", "$to"];

    // In this order: a run's start entry leaves the index before its full row goes in.
    private static readonly string[] CatchUpStatements = [RemoveStarted, AddRequests, AddExecutions];

    private static readonly string[] PruneStatements = [RemovePrunedRequests, RemovePrunedExecutions];

    /// <summary>
    /// Indexes up to <paramref name="maxEntries"/> chain entries after the mark, up to the transaction's head, and moves
    /// the mark; returns how many entries it covered (0 when the index was already caught up).
    /// </summary>
    public static int CatchUp(ChainTransaction chain, int maxEntries)
    {
        var from = Mark(chain);
        var to = Math.Min(chain.HeadSeq, from + maxEntries);
        if (to <= from)
        {
            return 0;
        }
        foreach (var sql in CatchUpStatements)
        {
            var command = chain.Prepared(sql, Range);
            command.Parameters[0].Value = from;
            command.Parameters[1].Value = to;
            command.ExecuteNonQuery();
        }
        var mark = chain.Prepared(WriteMark, ["$to"]);
        mark.Parameters[0].Value = to;
        mark.ExecuteNonQuery();
        return (int)(to - from);
    }

    /// <summary>Takes the rows retention is about to delete (chain entries below <paramref name="boundary"/>) out of the index.</summary>
    public static async Task RemoveBelowAsync(ChainTransaction chain, long boundary)
    {
        var mark = Mark(chain);
        foreach (var sql in PruneStatements)
        {
            await using var command = chain.CreateCommand(sql);
            command.Parameters.AddWithValue("$b", boundary);
            command.Parameters.AddWithValue("$mark", mark);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The high-water mark: every chain entry up to it is in the index.</summary>
    public static long Mark(ChainTransaction chain) => chain.Prepared(ReadMark, []).ExecuteScalar() is long mark ? mark : 0;
}
