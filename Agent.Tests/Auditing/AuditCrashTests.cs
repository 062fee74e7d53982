using System.Diagnostics;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Auditing;

/// <summary>Kills a real server process under load and checks that every acknowledged run survived intact (the scenario bench/run.sh faults measures too).</summary>
[Trait("Category", "Process")]
public sealed class AuditCrashTests
{
    private const string ApiKey = "crash-test-key-0123456789abcdef";

    [Fact]
    public async Task Kill_DuringConcurrentRuns_EveryAcknowledgedRunIsStoredAndDatabaseIsIntact()
    {
        var deadline = Stopwatch.StartNew();
        using var root = new TempDirectory("agent-crash");
        Directory.CreateDirectory(root.Combine("workspace"));
        File.WriteAllText(root.Combine("workspace", "notes.txt"), "hello\nworld");
        var databasePath = root.Combine("data", "agent.db");
        var launch = new ServerLaunch(AgentProcess.ServerAssembly)
        {
            WorkingDirectory = root.Path,
            Environment = new Dictionary<string, string>
            {
                ["AGENT_API_KEY"] = ApiKey,
                ["WORKSPACE_ROOT"] = root.Combine("workspace"),
                ["DATABASE_PATH"] = databasePath,
                ["RATE_LIMIT_ENABLED"] = "false",
                ["LLM_PROVIDER"] = "local",
            },
        };

        var outcome = await KillDuringLoad.RunAsync(new KillDuringLoadPlan(launch, ApiKey, databasePath)
        {
            Inputs = ["List the files in the workspace", "Read notes.txt"],
            KillAfterAcknowledged = 40,
            LoadTime = TimeSpan.FromSeconds(45),
            DrainAfterKill = TimeSpan.Zero,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });

        Assert.True(outcome.Acknowledged.Count >= 40, $"only {outcome.Acknowledged.Count} runs completed before the kill");
        Assert.Empty(outcome.Lost);
        Assert.Equal("ok", outcome.Integrity);
        Assert.Equal(0, outcome.StillRunning);
        Assert.Equal("ok", outcome.ChainStatus);
        // The kill came between commits and their indexing (which trails them); the restart indexed the gap.
        Assert.True(outcome.UnindexedAtKill > 0, $"{outcome.UnindexedAtKill} entries were unindexed at the kill");
        Assert.Equal("ok", outcome.SearchIndex);
        foreach (var run in outcome.Acknowledged)
        {
            var row = Assert.Single(await AuditDatabase.QueryAsync(databasePath,
                $"SELECT completion_hash, (SELECT COUNT(*) FROM decisions WHERE decisions.request_id = requests.id) AS decisions FROM requests WHERE id = '{run.RequestId}'"));
            Assert.Equal(2L, row["decisions"]);
            Assert.NotNull(row["completion_hash"]);
            // Indexed at the restart at the latest: every acknowledged run is searchable after the crash.
            Assert.Single(await AuditDatabase.QueryAsync(databasePath,
                $"SELECT rowid FROM requests_fts WHERE requests_fts MATCH 'workspace OR notes' AND rowid = (SELECT seq FROM requests WHERE id = '{run.RequestId}')"));
        }
        Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(120), $"took {deadline.Elapsed}");
    }
}
