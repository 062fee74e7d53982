using System.Globalization;
using Agent.Bench.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Agent.Bench.SlowRuns;

/// <summary>
/// The server's own account of the slow runs, read from its audit trail: for each run started in the measured window, its
/// recorded duration minus the model latency each decision recorded, and where between the steps that time went. The
/// client's overhead also holds the load process's own delays (its collections, its scheduling); this one holds only the
/// server's, from the moment it recorded the run's start to its completion.
/// </summary>
public sealed record ServerTimeOutsideModel(Percentiles Total, Percentiles BeforeFirstAnswer, Percentiles BeforeTool, Percentiles BeforeSecondAnswer, Percentiles AfterLastAnswer)
{
    public static ServerTimeOutsideModel Read(string databasePath, DateTimeOffset from, DateTimeOffset to)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.created_at, r.completed_at,
              d1.created_at, d1.latency_ms, d2.created_at, d2.latency_ms, e.created_at, e.duration_ms
            FROM requests r
            JOIN decisions d1 ON d1.request_id = r.id AND d1.step = 1
            JOIN decisions d2 ON d2.request_id = r.id AND d2.step = 2
            JOIN tool_executions e ON e.request_id = r.id
            WHERE r.status = 'success'
            """;
        List<double> total = [], beforeFirst = [], beforeTool = [], beforeSecond = [], afterLast = [];
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var started = At(reader, 0);
            if (started < from || started >= to)
            {
                continue;
            }
            var (completed, firstAnswer, secondAnswer, toolRecorded) = (At(reader, 1), At(reader, 2), At(reader, 4), At(reader, 6));
            var (firstModel, secondModel, tool) = (reader.GetInt64(3), reader.GetInt64(5), reader.GetInt64(7));
            beforeFirst.Add(Ms(firstAnswer - started) - firstModel);
            // From the model's tool call to the tool's recorded result: the commit of the decision (recorded before the
            // tool acts) and the tool's own time, less the latter.
            beforeTool.Add(Ms(toolRecorded - firstAnswer) - tool);
            beforeSecond.Add(Ms(secondAnswer - toolRecorded) - secondModel);
            afterLast.Add(Ms(completed - secondAnswer));
            total.Add(Ms(completed - started) - firstModel - secondModel);
        }
        return new ServerTimeOutsideModel(new(total), new(beforeFirst), new(beforeTool), new(beforeSecond), new(afterLast));
    }

    public string Summary =>
        $"n={Total.Count}; p50 / p99 by step: to the first answer {BeforeFirstAnswer.Median:0} / {BeforeFirstAnswer.P99:0} ms, " +
        $"to the tool's recorded result {BeforeTool.Median:0} / {BeforeTool.P99:0} ms, to the second answer {BeforeSecondAnswer.Median:0} / {BeforeSecondAnswer.P99:0} ms, " +
        $"to the completion {AfterLastAnswer.Median:0} / {AfterLastAnswer.P99:0} ms (model and tool time taken out)";

    private static DateTimeOffset At(SqliteDataReader reader, int column) =>
        DateTimeOffset.Parse(reader.GetString(column), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static double Ms(TimeSpan span) => span.TotalMilliseconds;
}
