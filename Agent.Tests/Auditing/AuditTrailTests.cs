using System.Net;
using System.Text.Json;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Auditing;

public sealed class AuditTrailTests
{
    [Fact]
    public async Task PostRun_ListFiles_WritesLinkedChainedRows()
    {
        await using var app = new AgentApplication();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "hello");

        var response = await app.RunAsync("List the files in the workspace");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
        var request = Assert.Single(await app.QueryAsync("SELECT * FROM requests"));
        Assert.Equal(requestId, request["id"]);
        Assert.Equal("success", request["status"]);
        Assert.Matches("^[0-9a-f]{64}$", (string)request["hash"]!);
        Assert.Matches("^[0-9a-f]{64}$", (string)request["completion_hash"]!);
        var decisions = await app.QueryAsync($"SELECT * FROM decisions WHERE request_id = '{requestId}' ORDER BY seq");
        var execution = Assert.Single(await app.QueryAsync($"SELECT * FROM tool_executions WHERE request_id = '{requestId}'"));
        Assert.Equal(2, decisions.Count);
        Assert.Equal(decisions[0]["id"], execution["decision_id"]);
        // Chain order is the order things happened: start, plan, execution, answer, completion.
        long[] order = [(long)request["seq"]!, (long)decisions[0]["seq"]!, (long)execution["seq"]!, (long)decisions[1]["seq"]!, (long)request["completion_seq"]!];
        Assert.Equal([1, 2, 3, 4, 5], order);
        var head = Assert.Single(await app.QueryAsync("SELECT * FROM audit_chain_head"));
        Assert.Equal(5L, head["seq"]);
        Assert.Equal(request["completion_hash"], head["hash"]);
        Assert.True((await app.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task StartUp_RunLeftRunning_IsClosedAsInterruptedAndStillVerifies()
    {
        await using var crashed = new AgentApplication();
        var runId = Guid.NewGuid().ToString();
        var writer = crashed.Services.GetRequiredService<IAuditWriter>();
        await writer.StartRunAsync(new RunRecord { Id = runId, Input = "list files", Status = RunStatus.Running, Source = "api", CreatedAt = DateTimeOffset.UtcNow });
        await writer.RecordDecisionAsync(new DecisionRecord { RequestId = runId, Step = 1, SelectedTools = "[]", CreatedAt = DateTimeOffset.UtcNow });
        await crashed.Services.GetRequiredService<AuditChain>().FlushAsync();

        // A second process starting on the same database finds the run still running.
        await using var restarted = new AgentApplication(new Dictionary<string, string?> { ["Agent:DatabasePath"] = crashed.DatabasePath });
        _ = restarted.Services;

        var row = Assert.Single(await crashed.QueryAsync("SELECT status, error, completed_at, completion_seq FROM requests"));
        Assert.Equal("error", row["status"]);
        Assert.Equal("interrupted", row["error"]);
        Assert.NotNull(row["completed_at"]);
        Assert.Equal(3L, row["completion_seq"]);
        Assert.True((await restarted.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task StartUp_NothingRunning_LeavesCompletedRunsUntouched()
    {
        await using var first = new AgentApplication();
        await first.RunAsync("List the files");
        var before = await first.QueryAsync("SELECT status, error, completion_hash FROM requests");

        await using var restarted = new AgentApplication(new Dictionary<string, string?> { ["Agent:DatabasePath"] = first.DatabasePath });
        _ = restarted.Services;

        Assert.Equal(before, await first.QueryAsync("SELECT status, error, completion_hash FROM requests"));
        Assert.Equal("success", before[0]["status"]);
    }

    [Fact]
    public async Task Database_AfterStartUp_UsesWalAndTimestampsSortAsText()
    {
        await using var app = new AgentApplication();
        await app.RunAsync("List the files");
        await app.RunAsync("Check your health");

        var mode = Assert.Single(await app.QueryAsync("PRAGMA journal_mode"));
        Assert.Equal("wal", mode["journal_mode"]);
        var rows = await app.QueryAsync("SELECT created_at FROM requests ORDER BY created_at DESC LIMIT 10");
        var stamps = rows.Select(r => (string)r["created_at"]!).ToList();
        Assert.All(stamps, s => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", s));
        Assert.Equal(stamps.OrderByDescending(s => s, StringComparer.Ordinal), stamps);
        Assert.True(DateTimeOffset.Parse(stamps[0], System.Globalization.CultureInfo.InvariantCulture) >= DateTimeOffset.Parse(stamps[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
