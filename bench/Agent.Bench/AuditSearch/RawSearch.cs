using Microsoft.Data.Sqlite;

namespace Agent.Bench.AuditSearch;

/// <summary>The baseline: a search case as one hand-written SQL statement via Microsoft.Data.Sqlite, no ORM, no HTTP.</summary>
public sealed class RawSearch(string databasePath) : IDisposable
{
    private readonly SqliteConnection _connection = Open(databasePath);

    /// <summary>True when the audit branch's FTS5 index over requests exists (keyed by requests.seq).</summary>
    public static bool HasFullText(string databasePath)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'requests_fts'";
        var hasIndex = (long)command.ExecuteScalar()! > 0;
        command.CommandText = "SELECT count(*) FROM pragma_table_info('requests') WHERE name = 'seq'";
        return hasIndex && (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>First page, newest first, with each run's execution count (what a run list shows); returns the rows read.</summary>
    public int Run(SearchCase search)
    {
        using var command = _connection.CreateCommand();
        command.CommandText =
            "SELECT r.id, r.input, r.status, r.source, r.principal, r.created_at, r.duration_ms, " +
            "(SELECT count(*) FROM tool_executions x WHERE x.request_id = r.id) " +
            $"FROM requests r WHERE {search.Where} ORDER BY r.created_at DESC LIMIT {SearchCase.PageSize}";
        foreach (var (name, value) in search.Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }
        return rows;
    }

    public void Dispose() => _connection.Dispose();

    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        return connection;
    }
}
