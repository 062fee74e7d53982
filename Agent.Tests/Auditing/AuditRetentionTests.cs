using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Agent.Tests.Auditing;

public sealed class AuditRetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SeedRun Run(string input, DateTimeOffset at, string status = RunStatus.Success) =>
        new(input, status, "api", "tests", at, status == RunStatus.Running ? null : "done", null,
            new SeedExecution("list_dir", "success", """{"path":"."}""", """{"count":0}"""));

    [Fact]
    public async Task Prune_OldRunsAndEvents_DeletesThemAndChainStillVerifies()
    {
        var clock = new FakeTimeProvider(Start);
        await using var app = new AgentApplication();
        var fake = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var old = new[] { Run("old one", Start), Run("old two", Start.AddDays(1)) };
        await app.SeedAsync(old);
        await fake.CreateClient().GetAsync("/audit/verify");
        await app.WaitForRowsAsync("SELECT id FROM security_events", 1);
        var recent = Run("recent", Start.AddDays(40));
        var stillRunning = Run("long running", Start.AddDays(2), RunStatus.Running);
        await app.SeedAsync(stillRunning, recent);

        var result = await app.Services.GetRequiredService<AuditRetention>().PruneAsync(Start.AddDays(10));

        // Two runs of four entries each and the security event; the running run and everything after it stay.
        Assert.Equal(9, result.DeletedEntries);
        Assert.Equal([stillRunning.Id, recent.Id], (await app.QueryAsync("SELECT id FROM requests ORDER BY seq")).Select(r => r["id"]));
        Assert.Empty(await app.QueryAsync($"SELECT id FROM decisions WHERE request_id IN ('{old[0].Id}', '{old[1].Id}')"));
        Assert.Empty(await app.QueryAsync("SELECT id FROM security_events"));
        var marker = Assert.Single(await app.QueryAsync("SELECT * FROM audit_prunes"));
        Assert.Equal(10L, marker["first_kept_seq"]);
        var verification = await app.VerifyAsync();
        Assert.True(verification.IsValid, verification.Break?.ToString());
        Assert.Empty(await app.QueryAsync("SELECT rowid FROM requests_fts WHERE requests_fts MATCH 'old'"));
    }

    [Fact]
    public async Task Prune_RunStartedBeforeCutoffFinishedAfter_KeepsTheWholeRun()
    {
        await using var app = new AgentApplication();
        var writer = app.Services.GetRequiredService<IAuditWriter>();
        var expired = Run("expired", Start);
        await app.SeedAsync(expired);
        var straddling = Guid.NewGuid().ToString();
        await writer.StartRunAsync(new RunRecord { Id = straddling, Input = "slow", Status = RunStatus.Running, Source = "api", CreatedAt = Start.AddDays(1) });
        await app.SeedAsync(Run("recent", Start.AddDays(30)));
        await writer.CompleteRunAsync(straddling, RunStatus.Success, "done", null, Start.AddDays(30), 1);

        await app.Services.GetRequiredService<AuditRetention>().PruneAsync(Start.AddDays(10));

        Assert.DoesNotContain(expired.Id, (await app.QueryAsync("SELECT id FROM requests")).Select(r => r["id"]));
        Assert.Contains(straddling, (await app.QueryAsync("SELECT id FROM requests")).Select(r => r["id"]));
        Assert.True((await app.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Prune_Twice_SecondFindsNothingAndChainVerifies()
    {
        await using var app = new AgentApplication();
        await app.SeedAsync(Run("old", Start), Run("new", Start.AddDays(20)));
        var retention = app.Services.GetRequiredService<AuditRetention>();

        await retention.PruneAsync(Start.AddDays(10));
        await app.SeedAsync(Run("newer", Start.AddDays(21)));
        var second = await retention.PruneAsync(Start.AddDays(10));

        Assert.Equal(0, second.DeletedEntries);
        Assert.Single(await app.QueryAsync("SELECT id FROM audit_prunes"));
        Assert.True((await app.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Prune_EverythingExpired_LeavesOnlyTheMarkerAndVerifies()
    {
        await using var app = new AgentApplication();
        await app.SeedAsync(Run("a", Start), Run("b", Start.AddDays(1)));

        await app.Services.GetRequiredService<AuditRetention>().PruneAsync(Start.AddDays(10));
        await app.SeedAsync(Run("after", Start.AddDays(11)));

        Assert.Single(await app.QueryAsync("SELECT id FROM requests"));
        var verification = await app.VerifyAsync();
        Assert.True(verification.IsValid, verification.Break?.ToString());
        Assert.Equal(1 + 4, verification.EntriesVerified);
    }

    [Fact]
    public async Task Verify_KeptRowDeletedAfterPrune_NamesTheNewFirstRow()
    {
        await using var app = new AgentApplication();
        var kept = Run("kept", Start.AddDays(20));
        var next = Run("next", Start.AddDays(21));
        await app.SeedAsync(Run("old", Start), kept, next);
        await app.Services.GetRequiredService<AuditRetention>().PruneAsync(Start.AddDays(10));

        await app.TamperAsync($"DELETE FROM tool_executions WHERE request_id = '{kept.Id}'; DELETE FROM decisions WHERE request_id = '{kept.Id}'; DELETE FROM requests WHERE id = '{kept.Id}'");
        var verification = await app.VerifyAsync();

        Assert.False(verification.IsValid);
        Assert.Equal(("requests", next.Id), (verification.Break!.Table, verification.Break.RowId));
    }

    [Fact]
    public async Task RetentionService_RetentionDaysConfigured_PrunesAtStartUp()
    {
        await using var first = new AgentApplication();
        var expired = Run("from last year", DateTimeOffset.UtcNow.AddDays(-400));
        await first.SeedAsync(expired, Run("today", DateTimeOffset.UtcNow));

        await using var restarted = new AgentApplication(new Dictionary<string, string?>
        {
            ["Agent:DatabasePath"] = first.DatabasePath,
            ["Audit:RetentionDays"] = "365",
        });
        Assert.Equal(365, restarted.Services.GetRequiredService<IOptions<AuditOptions>>().Value.RetentionDays);

        var markers = await first.WaitForRowsAsync("SELECT * FROM audit_prunes", 1);
        Assert.Single(markers);
        Assert.DoesNotContain(expired.Id, (await first.QueryAsync("SELECT id FROM requests")).Select(r => r["id"]));
        Assert.True((await restarted.VerifyAsync()).IsValid);
    }

    [Fact]
    public void Options_RetentionDaysZero_FailValidationNamingTheKey()
    {
        var result = new AuditOptionsValidator().Validate(null, new AuditOptions { RetentionDays = 0 });

        Assert.True(result.Failed);
        Assert.Contains("AUDIT_RETENTION_DAYS (Audit:RetentionDays)", result.FailureMessage);
    }
}
