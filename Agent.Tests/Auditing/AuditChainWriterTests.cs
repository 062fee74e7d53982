using Agent.Core;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agent.Tests.Auditing;

/// <summary>The hosted chain writer: when appends are acknowledged, what a failing append takes with it, and shutdown.</summary>
public sealed class AuditChainWriterTests
{
    private static RunRecord Run(string id) =>
        new() { Id = id, Input = "list files", Status = RunStatus.Running, Source = "api", Principal = "tests", CreatedAt = DateTimeOffset.UtcNow };

    private static DecisionRecord Decision(string runId, string tools = "[]") =>
        new() { RequestId = runId, Step = 1, SelectedTools = tools, Model = "local", CreatedAt = DateTimeOffset.UtcNow };

    [Fact]
    public async Task StopAsync_AppendsStillQueued_WritesEveryOneBeforeReturning()
    {
        using var root = new TempDirectory("audit-drain");
        var databasePath = root.Combine("agent.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:DatabasePath"] = databasePath,
            ["Agent:WorkspaceRoot"] = root.Path,
            ["Llm:Provider"] = "local",
        });
        builder.Services.AddAgentCore(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        var writer = host.Services.GetRequiredService<IAuditWriter>();
        var ids = Enumerable.Range(0, 400).Select(_ => Guid.NewGuid().ToString()).ToList();

        var appends = ids.Select(id => writer.StartRunAsync(Run(id))).ToList();
        var queuedAtStop = appends.Count(a => !a.IsCompleted);
        await host.StopAsync();

        Assert.True(queuedAtStop > 0, "every append was already written before the host stopped; nothing was left to drain");
        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        Assert.Equal(ids.Count, (long)(await AuditDatabase.QueryAsync(databasePath, "SELECT COUNT(*) AS n FROM requests")).Single()["n"]!);
        var head = (await AuditDatabase.QueryAsync(databasePath, "SELECT seq FROM audit_chain_head")).Single();
        Assert.Equal((long)ids.Count, head["seq"]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.StartRunAsync(Run(Guid.NewGuid().ToString())));
    }

    [Fact]
    public async Task Append_WriterNeverStarted_FailsInsteadOfWaitingForever()
    {
        using var root = new TempDirectory("audit-unstarted");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:DatabasePath"] = root.Combine("agent.db"),
            ["Agent:WorkspaceRoot"] = root.Path,
            ["Llm:Provider"] = "local",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddAgentCore(configuration).BuildServiceProvider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => services.GetRequiredService<IAuditWriter>().StartRunAsync(Run("x")));
        Assert.Contains("not running", error.Message);
    }

    [Fact]
    public async Task Append_OneRowFails_OnlyThatAppendFailsAndTheChainHasNoGap()
    {
        await using var harness = await AgentHarness.StartAsync();
        var writer = harness.Services.GetRequiredService<IAuditWriter>();
        var runId = Guid.NewGuid().ToString();

        // Queued together, so they share a transaction: the decision for an unknown run breaks a foreign key.
        var start = writer.StartRunAsync(Run(runId));
        var orphan = writer.RecordDecisionAsync(Decision("no-such-run"));
        var duplicate = writer.StartRunAsync(Run(runId));
        var decision = writer.RecordDecisionAsync(Decision(runId));
        await start;
        await Assert.ThrowsAsync<SqliteException>(() => orphan);
        await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        await decision;
        await writer.CompleteRunAsync(runId, RunStatus.Success, "done", null, DateTimeOffset.UtcNow, 1);

        Assert.Equal([1L, 2L, 3L], (await harness.QueryAsync("SELECT seq FROM requests UNION ALL SELECT seq FROM decisions UNION ALL SELECT completion_seq FROM requests ORDER BY 1")).Select(r => (long)r["seq"]!));
        var verified = await harness.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync();
        Assert.True(verified.IsValid, verified.Break?.ToString());
        Assert.Equal(3, verified.EntriesVerified);
    }

    [Fact]
    public async Task RecordDecision_SelectingTools_IsOnDiskWithEverythingBeforeItWhenItReturns()
    {
        await using var harness = await AgentHarness.StartAsync();
        var writer = harness.Services.GetRequiredService<IAuditWriter>();
        var runId = Guid.NewGuid().ToString();

        await writer.StartRunAsync(Run(runId));
        var decisionId = await writer.RecordDecisionAsync(Decision(runId, """[{"id":"call_1","name":"list_dir","arguments":{}}]"""));

        // Another connection sees only committed rows: the intent is recorded before any tool acts on it.
        Assert.Single(await harness.QueryAsync($"SELECT 1 FROM requests WHERE id = '{runId}'"));
        Assert.Single(await harness.QueryAsync($"SELECT 1 FROM decisions WHERE id = {decisionId}"));
    }

    [Fact]
    public async Task StartRun_WrittenRow_IsCommittedWithinTheLingerWithoutAnotherAppend()
    {
        await using var harness = await AgentHarness.StartAsync();
        var runId = Guid.NewGuid().ToString();

        await harness.Services.GetRequiredService<IAuditWriter>().StartRunAsync(Run(runId));
        await Eventually.UntilAsync(async () => (await harness.QueryAsync($"SELECT 1 FROM requests WHERE id = '{runId}'")).Count > 0,
            TimeSpan.FromSeconds(1), "the started run is committed within a second", TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task CompleteRun_RunNotInTheAuditTrail_Throws()
    {
        await using var harness = await AgentHarness.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            harness.Services.GetRequiredService<IAuditWriter>().CompleteRunAsync("never-started", RunStatus.Success, "ok", null, DateTimeOffset.UtcNow, 1));

        Assert.Contains("never-started", error.Message);
        Assert.Empty(await harness.QueryAsync("SELECT 1 FROM audit_chain_head"));
    }
}
