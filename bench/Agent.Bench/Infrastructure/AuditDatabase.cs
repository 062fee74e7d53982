using Microsoft.Data.Sqlite;

namespace Agent.Bench.Infrastructure;

/// <summary>Reads an audit database directly, the way an auditor with sqlite3 would, to check what the server claims.</summary>
public sealed class AuditDatabase(string path) : IDisposable
{
    private readonly SqliteConnection _connection = Open(path);

    public string IntegrityCheck() => (string)Scalar("PRAGMA integrity_check")!;

    public long Count(string sql, params (string Name, object Value)[] parameters) => (long)Scalar(sql, parameters)!;

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

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }
}
