using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Agent.Bench.AuditSearch;

/// <summary>
/// Fills a migrated audit database with a large history in one transaction of prepared statements. It reads the
/// tables' columns from the database, so columns this seeder does not know (added by later migrations, such as a
/// hash chain's seq and hash) still get a value: a unique number for NOT NULL integers, a placeholder for NOT NULL text.
/// </summary>
public static class AuditSeeder
{
    public static TimeSpan Seed(string databasePath, SeedPlan plan)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        // Seeding is not what is measured: no journal, no fsync, a big page cache; WAL is switched back on after.
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-400000; PRAGMA temp_store=MEMORY; PRAGMA locking_mode=EXCLUSIVE;");

        var random = new Random(20261124);
        long counter = 0;
        long NextNumber() => ++counter;

        using (var transaction = connection.BeginTransaction())
        {
            var requests = SeedTable.Prepare(connection, transaction, "requests", NextNumber);
            var decisions = SeedTable.Prepare(connection, transaction, "decisions", NextNumber);
            var executions = SeedTable.Prepare(connection, transaction, "tool_executions", NextNumber);
            long executionId = 0;
            for (var r = 0; r < plan.Requests; r++)
            {
                var id = NewGuid(random);
                var created = plan.CreatedAt(r);
                var at = SeedPlan.Timestamp(created);
                var status = SeedPlan.Status(r);
                var duration = 5 + (r % 50);
                requests.Insert(new Dictionary<string, object?>
                {
                    ["id"] = id,
                    ["input"] = SeedPlan.Input(r),
                    ["status"] = status,
                    ["output"] = status == "error" ? null : $"The workspace contains {r % 100} entries.",
                    ["error"] = status == "error" ? "LLM request failed: Service request failed. Status: 500" : null,
                    ["source"] = SeedPlan.Source(r),
                    ["principal"] = SeedPlan.Source(r) == "api" ? "default" : "operator",
                    ["client_ip"] = "127.0.0.1",
                    ["created_at"] = at,
                    ["completed_at"] = SeedPlan.Timestamp(created.AddMilliseconds(duration)),
                    ["duration_ms"] = duration,
                });
                var decisionId = r + 1L;
                decisions.Insert(new Dictionary<string, object?>
                {
                    ["id"] = decisionId,
                    ["request_id"] = id,
                    ["step"] = 1,
                    ["selected_tools"] = "[{\"id\":\"call_1\",\"name\":\"list_dir\",\"arguments\":{\"path\":\".\"}}]",
                    ["model"] = "local",
                    ["latency_ms"] = 0,
                    ["created_at"] = at,
                });
                for (var e = 0; e < plan.ExecutionsPerRequest; e++)
                {
                    var executionStatus = SeedPlan.ExecutionStatus(r, e);
                    executions.Insert(new Dictionary<string, object?>
                    {
                        ["id"] = ++executionId,
                        ["request_id"] = id,
                        ["decision_id"] = decisionId,
                        ["tool_name"] = SeedPlan.ToolName(r, e),
                        ["input"] = $"{{\"path\":\"docs/file-{r % 500:D3}.txt\"}}",
                        ["output"] = executionStatus == "success" ? $"{{\"path\":\"docs/file-{r % 500:D3}.txt\",\"content\":\"line one\\nline two\",\"size\":17,\"line_count\":2,\"truncated\":false}}" : null,
                        ["status"] = executionStatus,
                        ["error"] = executionStatus == "success" ? null : "File not found: docs/missing.txt",
                        ["duration_ms"] = e + 1,
                        ["created_at"] = at,
                    });
                }
            }
            transaction.Commit();
        }
        Execute(connection, "PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL;");
        return clock.Elapsed;
    }

    private static string NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
