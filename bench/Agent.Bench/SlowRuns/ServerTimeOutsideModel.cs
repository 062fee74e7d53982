using System.Globalization;
using Agent.Bench.Infrastructure;

namespace Agent.Bench.SlowRuns;

/// <summary>
/// The server's own account of the slow runs, read from its audit trail: for each run started in the measured window, its
/// recorded duration minus the model latency each decision recorded, and where between the steps that time went. The
/// client's overhead also holds the load process's own delays (its collections, its scheduling); this one holds only the
/// server's, from the moment it recorded the run's start to its completion.
/// </summary>
public sealed record ServerTimeOutsideModel(Percentiles Total, Percentiles BeforeFirstAnswer, Percentiles BeforeTool, Percentiles BeforeSecondAnswer, Percentiles AfterLastAnswer)
{
    public static async Task<ServerTimeOutsideModel> ReadAsync(string databasePath, DateTimeOffset from, DateTimeOffset to)
    {
        var runs = await AuditDatabase.QueryAsync(databasePath, """
            SELECT r.created_at AS started, r.completed_at AS completed,
              d1.created_at AS first_answer, d1.latency_ms AS first_model,
              d2.created_at AS second_answer, d2.latency_ms AS second_model,
              e.created_at AS tool_recorded, e.duration_ms AS tool
            FROM requests r
            JOIN decisions d1 ON d1.request_id = r.id AND d1.step = 1
            JOIN decisions d2 ON d2.request_id = r.id AND d2.step = 2
            JOIN tool_executions e ON e.request_id = r.id
            WHERE r.status = 'success'
            """);
        List<double> total = [], beforeFirst = [], beforeTool = [], beforeSecond = [], afterLast = [];
        foreach (var run in runs)
        {
            var started = At(run["started"]);
            if (started < from || started >= to)
            {
                continue;
            }
            var (completed, firstAnswer, secondAnswer, toolRecorded) = (At(run["completed"]), At(run["first_answer"]), At(run["second_answer"]), At(run["tool_recorded"]));
            var (firstModel, secondModel, tool) = ((long)run["first_model"]!, (long)run["second_model"]!, (long)run["tool"]!);
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

    private static DateTimeOffset At(object? timestamp) =>
        DateTimeOffset.Parse((string)timestamp!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static double Ms(TimeSpan span) => span.TotalMilliseconds;
}
