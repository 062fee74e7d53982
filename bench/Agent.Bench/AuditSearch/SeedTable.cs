using Microsoft.Data.Sqlite;

namespace Agent.Bench.AuditSearch;

/// <summary>One prepared INSERT covering every column of a table as the database reports them (PRAGMA table_info).</summary>
internal sealed class SeedTable
{
    private readonly SqliteCommand _insert;
    private readonly List<(string Name, SqliteParameter Parameter, Func<object> Filler)> _columns;

    private SeedTable(SqliteCommand insert, List<(string, SqliteParameter, Func<object>)> columns)
    {
        _insert = insert;
        _columns = columns;
    }

    public static SeedTable Prepare(SqliteConnection connection, SqliteTransaction transaction, string table, Func<long> nextNumber)
    {
        var columns = new List<(string, SqliteParameter, Func<object>)>();
        using (var info = connection.CreateCommand())
        {
            info.Transaction = transaction;
            info.CommandText = $"SELECT name, type, \"notnull\" FROM pragma_table_info('{table}')";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var isInteger = reader.GetString(1).Contains("INT", StringComparison.OrdinalIgnoreCase);
                var notNull = reader.GetInt64(2) == 1;
                // A NOT NULL column the seeder has no value for: unique numbers suit seq-like columns, text a placeholder.
                Func<object> filler = !notNull ? () => DBNull.Value : isInteger ? () => nextNumber() : () => "seeded";
                columns.Add((name, new SqliteParameter("$" + name, null), filler));
            }
        }

        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Item1))}) " +
            $"VALUES ({string.Join(", ", columns.Select(c => c.Item2.ParameterName))})";
        foreach (var column in columns)
        {
            insert.Parameters.Add(column.Item2);
        }
        insert.Prepare();
        return new SeedTable(insert, columns);
    }

    public void Insert(IReadOnlyDictionary<string, object?> values)
    {
        foreach (var (name, parameter, filler) in _columns)
        {
            parameter.Value = values.TryGetValue(name, out var value) ? value ?? DBNull.Value : filler();
        }
        _insert.ExecuteNonQuery();
    }
}
