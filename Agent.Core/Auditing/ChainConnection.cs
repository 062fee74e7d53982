using Microsoft.Data.Sqlite;

namespace Agent.Core.Auditing;

/// <summary>
/// The chain writer's own connection: opened once, with the store's pragmas, and a prepared command per statement text
/// that lives as long as the connection (SQLite compiles each statement once, not once per row).
/// </summary>
internal sealed class ChainConnection(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    public static ChainConnection Open(string connectionString, string synchronous)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        SqlitePragmaInterceptor.Apply(connection, synchronous);
        using (var command = connection.CreateCommand())
        {
            // A decision or execution that names an unknown run (or decision) is refused, not chained.
            command.CommandText = "PRAGMA foreign_keys = ON;";
            command.ExecuteNonQuery();
        }
        return new ChainConnection(connection);
    }

    /// <summary>The prepared command for <paramref name="sql"/>, enlisted in <paramref name="transaction"/>, with <paramref name="parameters"/> in that order.</summary>
    public SqliteCommand Prepared(string sql, IReadOnlyList<string> parameters, SqliteTransaction transaction)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }
            command.Transaction = transaction;
            command.Prepare();
            _prepared[sql] = command;
        }
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Begins a write transaction that holds the database's write lock from the start (<c>BEGIN IMMEDIATE</c>).</summary>
    public SqliteTransaction BeginImmediate() => Connection.BeginTransaction(deferred: false);

    /// <summary>Whether SQLite itself ended the transaction (it does on some I/O and full-disk errors).</summary>
    public bool TransactionLost => SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) != 0;

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }
        Connection.Dispose();
    }
}
