using System.Diagnostics;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;
using Agent.Core.Auditing;
using Microsoft.Data.Sqlite;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// Figure 2: committed runs per second through the real IAuditWriter (start, decision, execution, completion: four
/// commits per run), next to raw single-row SQLite commits in WAL mode on the same disk.
/// </summary>
public static class AuditWriteBenchmark
{
    // A list_dir result of 100 entries is about this size; the audit stores it whole.
    private static readonly string ListingOutput = "{\"path\":\".\",\"entries\":[" +
        string.Join(',', Enumerable.Range(0, 100).Select(i => $"{{\"name\":\"file-{i:D3}.txt\",\"type\":\"file\",\"size\":9}}")) +
        "],\"count\":100,\"truncated\":false}";

    public static async Task RunAsync(BenchContext context, Report report, TimeSpan duration)
    {
        Console.WriteLine("== 2: audit write path");
        var directory = context.NewDirectory("audit-write");
        var workspace = context.NewDirectory("audit-write-workspace");
        await using var audit = await InProcessAudit.OpenAsync(Path.Combine(directory, "agent.db"), workspace);
        var rawPath = Path.Combine(directory, "raw.db");
        var synchronous = await PrepareRawAsync(rawPath);

        foreach (var writers in new[] { 1, 4 })
        {
            var runs = await MeasureAsync(writers, duration, () => WriteRunAsync(audit.Writer));
            var commits = await MeasureAsync(writers, duration, () => CommitRowAsync(rawPath));
            // A run is four commits, so the raw equivalent of a run is four single-row commits.
            report.Add(new ResultRow($"Audit write, {writers} writer(s)", runs, "runs/s", commits / 4, "raw: 4 single-row commits per run",
                Note: $"raw {commits:0} commits/s"));
        }
        report.Note($"Audit write baseline: raw INSERT autocommits via Microsoft.Data.Sqlite, WAL, synchronous={synchronous} (SQLite default), same directory as the audit DB.");
    }

    /// <summary>Operations per second by <paramref name="writers"/> concurrent loops over <paramref name="duration"/>.</summary>
    private static async Task<double> MeasureAsync(int writers, TimeSpan duration, Func<Task> operation)
    {
        await operation(); // Warm-up: EF model, connection pool, prepared statements.
        long completed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await operation();
                Interlocked.Increment(ref completed);
            }
        })));
        return completed / clock.Elapsed.TotalSeconds;
    }

    private static async Task WriteRunAsync(IAuditWriter writer)
    {
        var id = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        await writer.StartRunAsync(new RequestRecord
        {
            Id = id,
            Input = AgentClient.ListFiles,
            Status = "running",
            Source = "api",
            Principal = "default",
            ClientIp = "127.0.0.1",
            CreatedAt = now,
        });
        var decisionId = await writer.RecordDecisionAsync(new DecisionRecord
        {
            RequestId = id,
            Step = 1,
            Reasoning = null,
            SelectedTools = "[{\"id\":\"call_1\",\"name\":\"list_dir\",\"arguments\":{\"path\":\".\"}}]",
            Model = "local",
            LatencyMs = 0,
            CreatedAt = now,
        });
        await writer.RecordExecutionAsync(new ToolExecutionRecord
        {
            RequestId = id,
            DecisionId = decisionId,
            ToolName = "list_dir",
            Input = "{\"path\":\".\"}",
            Output = ListingOutput,
            Status = "success",
            DurationMs = 1,
            CreatedAt = now,
        });
        await writer.CompleteRunAsync(id, "success", "The workspace contains 100 entries.", null, DateTimeOffset.UtcNow, 2);
    }

    private static async Task<long> PrepareRawAsync(string path)
    {
        await using var connection = Open(path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE rows (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, payload TEXT NOT NULL);";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "PRAGMA synchronous;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task CommitRowAsync(string path)
    {
        await using var connection = Open(path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO rows (created_at, payload) VALUES ($at, $payload);";
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        command.Parameters.AddWithValue("$payload", ListingOutput);
        await command.ExecuteNonQueryAsync();
    }

    // Same connection settings as the product's store, so pooling and busy timeouts match.
    private static SqliteConnection Open(string path) => new($"Data Source={path};Default Timeout=30;Pooling=True");
}
