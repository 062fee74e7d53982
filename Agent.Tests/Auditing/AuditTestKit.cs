using System.Text.Json;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Auditing;

/// <summary>A run to seed through the real <see cref="IAuditWriter"/>; the store is tested through its write path.</summary>
internal sealed record SeedRun(
    string Input,
    string Status,
    string Source,
    string? Principal,
    DateTimeOffset CreatedAt,
    string? Output = null,
    string? Error = null,
    params SeedExecution[] Executions)
{
    public string Id { get; } = Guid.NewGuid().ToString();
}

internal sealed record SeedExecution(string ToolName, string Status, string? Input, string? Output, string? Error = null);

internal static class AuditTestKit
{
    public static async Task SeedAsync(this AgentApplication app, params SeedRun[] runs)
    {
        var writer = app.Services.GetRequiredService<IAuditWriter>();
        foreach (var run in runs)
        {
            await writer.StartRunAsync(new RunRecord
            {
                Id = run.Id,
                Input = run.Input,
                Status = RunStatus.Running,
                Source = run.Source,
                Principal = run.Principal,
                ClientIp = "127.0.0.1",
                CreatedAt = run.CreatedAt,
            });
            var decisionId = await writer.RecordDecisionAsync(new DecisionRecord
            {
                RequestId = run.Id,
                Step = 1,
                Reasoning = "Plan for " + run.Input,
                SelectedTools = JsonSerializer.Serialize(run.Executions.Select(e => new { name = e.ToolName })),
                Model = "local-planner",
                LatencyMs = 3,
                CreatedAt = run.CreatedAt.AddMilliseconds(1),
            });
            foreach (var execution in run.Executions)
            {
                await writer.RecordExecutionAsync(new ToolExecutionRecord
                {
                    RequestId = run.Id,
                    DecisionId = decisionId,
                    ToolName = execution.ToolName,
                    Input = execution.Input,
                    Output = execution.Output,
                    Status = execution.Status,
                    Error = execution.Error,
                    DurationMs = 5,
                    CreatedAt = run.CreatedAt.AddMilliseconds(2),
                });
            }
            if (run.Status != RunStatus.Running)
            {
                await writer.CompleteRunAsync(run.Id, run.Status, run.Output, run.Error, run.CreatedAt.AddSeconds(1), 1000);
            }
        }
        // A run left running has rows that are written but committed only with the next commit (within the linger).
        await app.Services.GetRequiredService<AuditChain>().FlushAsync();
        // Full-text indexing follows the commits by a fraction of a second; seeded history is searchable at once.
        await app.Services.GetRequiredService<AuditSearchIndexer>().CatchUpAsync();
    }

    /// <summary>Changes the database behind the application's back, as an attacker with file access would.</summary>
    public static Task<int> TamperAsync(this AgentApplication app, string sql) => TamperAsync(app.DatabasePath, sql);

    /// <summary>Changes the database file behind the writer's back.</summary>
    public static async Task<int> TamperAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public static Task<ChainVerification> VerifyAsync(this AgentApplication app) =>
        app.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync();

    /// <summary>Polls until the query returns at least <paramref name="count"/> rows (security events are written in the background).</summary>
    public static async Task<List<Dictionary<string, object?>>> WaitForRowsAsync(this AgentApplication app, string sql, int count)
    {
        List<Dictionary<string, object?>> rows = [];
        // The rows as last read either way: the test's own assertion then says what is missing.
        await Eventually.TryUntilAsync(async () => (rows = await app.QueryAsync(sql)).Count >= count, TimeSpan.FromSeconds(15));
        return rows;
    }

    public static async Task<JsonDocument> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} returned {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }
}
