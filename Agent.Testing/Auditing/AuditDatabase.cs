using Microsoft.Data.Sqlite;

namespace Agent.Testing;

/// <summary>Reads an audit database directly, the way an auditor with sqlite3 would, to check what the server claims.</summary>
public sealed class AuditDatabase(string path) : IDisposable
{
    private readonly SqliteConnection _connection = Open(path, readOnly: false);

    /// <summary>Every row of <paramref name="sql"/> as column → value, read-only.</summary>
    public static async Task<List<Dictionary<string, object?>>> QueryAsync(string databasePath, string sql)
    {
        await using var connection = Open(databasePath, readOnly: true);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public string IntegrityCheck() => (string)Scalar("PRAGMA integrity_check")!;

    public long Count(string sql, params (string Name, object Value)[] parameters) => (long)Scalar(sql, parameters)!;

    /// <summary>Chain entries committed but not yet in the full-text index (head seq minus the index's mark); null before that mark existed.</summary>
    public long? UnindexedEntries()
    {
        if (Count("SELECT count(*) FROM sqlite_master WHERE name = 'audit_fts_state'") == 0)
        {
            return null;
        }
        return Count("SELECT COALESCE((SELECT seq FROM audit_chain_head WHERE id = 1), 0) - (SELECT indexed_seq FROM audit_fts_state WHERE id = 1)");
    }

    /// <summary>
    /// FTS5's own check that each full-text index holds exactly the text of its table's rows (external content, rank 1):
    /// "ok", or SQLite's complaint naming the index.
    /// </summary>
    public string SearchIndexCheck()
    {
        foreach (var index in (string[])["requests_fts", "tool_executions_fts"])
        {
            try
            {
                Scalar($"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)");
            }
            catch (SqliteException ex)
            {
                return $"{index}: {ex.Message}";
            }
        }
        return "ok";
    }

    /// <summary>
    /// A run is fully recorded when it is complete with the given status and has its execution rows and, when it ran a
    /// tool, the decision that chose it (a run whose LLM call failed has no decision).
    /// </summary>
    public bool IsFullyRecorded(string requestId, string status, int executions) =>
        Count("SELECT count(*) FROM requests WHERE id = $id AND status = $status AND completed_at IS NOT NULL", ("$id", requestId), ("$status", status)) == 1
        && (executions == 0 || Count("SELECT count(*) FROM decisions WHERE request_id = $id", ("$id", requestId)) >= 1)
        && Count("SELECT count(*) FROM tool_executions WHERE request_id = $id", ("$id", requestId)) == executions;

    public void Dispose() => _connection.Dispose();

    private object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command.ExecuteScalar();
    }

    private static SqliteConnection Open(string path, bool readOnly)
    {
        var connection = new SqliteConnection($"Data Source={path};{(readOnly ? "Mode=ReadOnly;" : "")}Pooling=False");
        connection.Open();
        return connection;
    }
}
