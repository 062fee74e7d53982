using Agent.Core.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Agent.Tests.Auditing;

/// <summary>
/// The chain format is a contract with every database already written: fixed rows must give these exact hashes.
/// They were produced by the code at commit 69a1d63 (before appends stopped reading rows back), so a change to the
/// canonical form, the column lists or the hash cannot pass unnoticed, and old databases keep verifying.
/// </summary>
public sealed class AuditChainFormatTests
{
    private static readonly (long Seq, string Kind, string Id, string Hash)[] BeforePrune =
    [
        (1, "request", ChainFormatScript.A, "20ca98ace64bd06cda3b944010afceed816d99ad6da394d5a6014bd4ea9fe22e"),
        (2, "decision", "1", "4b092a3fd8fcbbf0fc48b19637c974e741cfa12d4260ff05cd19abe8843a5320"),
        (3, "tool_execution", "1", "c73fb4b2e0611bf7ead6b2cfdb845a9077430625859c474eb065388363d7480c"),
        (4, "decision", "2", "bc0de6922a600a1334d6966efd1a8b3f46cc35817ed9773869eb759a59095612"),
        (5, "request_completion", ChainFormatScript.A, "8c034bfd37b057b20233ca64c38c03082f877b3940e0952eb3b1d18b720be045"),
        (6, "request", ChainFormatScript.B, "211135971a44415262b680a1587a8d4479213063918384bf8ab8481670e379e0"),
        (7, "decision", "3", "c2404884abc4489fa15f1fbb0c393c023e4f3c6788ad249d5ca7200fb08998c7"),
        (8, "tool_execution", "2", "3c0af477a4eb3c61c62d1092863aae515e771a09e88946e420cf620dfd3903fa"),
        (9, "request_completion", ChainFormatScript.B, "83d4e282be3905c95f547857bbe35d404018f1b6a76933dc4b3081151a789ccc"),
        (10, "security_event", "1", "d0ccd9aca086204bd569fe0ade106e3c1a60184f8ef6095cf1d53d50da8e0c21"),
        (11, "request", ChainFormatScript.C, "758cf417dd0c5849b4b95811e05ab9d80fb007817e2c0e6fae625878dc902c8a"),
        (12, "request_completion", ChainFormatScript.C, "04c9e29e795c607fb5c3f72925ef38d8cc8a2d4569212925bffb70f3023ce1ab"),
    ];

    private static readonly (long Seq, string Kind, string Id, string Hash)[] AfterPrune =
    [
        .. BeforePrune.Skip(5),
        (13, "prune", "1", "0fbc99c058e37f38a663fbba4685a953b0825e2762da51caed0effb3204dddc5"),
        (14, "request", ChainFormatScript.D, "01bfd0216fc30e4ad1181ac47b19885e9462b5c6665ed44bb544008e2043c503"),
        (15, "decision", "4", "717f9ae548568eb6b5e1a86a8b071fb5f15120c087dccef6154e99312d0d96e8"),
        (16, "request_completion", ChainFormatScript.D, "adb4c6e9ec820198174d437610c3095f61dd8ad957895d897f6dfc643ec87893"),
    ];

    private static string FixturePath => Path.Combine(RepositoryPaths.Root, "Agent.Tests", "Auditing", "Fixtures", "main-69a1d63.db");

    [Fact]
    public async Task Append_FixedRows_CommitTheKnownHashes()
    {
        await using var harness = await AgentHarness.StartAsync(configure: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(ChainFormatScript.Now)));

        await ChainFormatScript.WriteBeforePruneAsync(harness.Services);
        Assert.Equal(BeforePrune, await EntriesAsync(harness.DatabasePath));

        await ChainFormatScript.PruneAndContinueAsync(harness.Services);
        Assert.Equal(AfterPrune, await EntriesAsync(harness.DatabasePath));
        var head = Assert.Single(await harness.QueryAsync("SELECT seq, hash FROM audit_chain_head"));
        Assert.Equal((16L, AfterPrune[^1].Hash), ((long)head["seq"]!, (string)head["hash"]!));
    }

    [Fact]
    public async Task Fixture_WrittenByEarlierMain_HoldsTheKnownHashes()
    {
        Assert.Equal(AfterPrune, await EntriesAsync(FixturePath));
    }

    [Fact]
    public async Task Verify_DatabaseWrittenByEarlierMain_IsIntactAndKeepsVerifyingAfterNewRuns()
    {
        using var copy = new TempDirectory("audit-fixture");
        var path = copy.Combine("agent.db");
        File.Copy(FixturePath, path);
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:DatabasePath"] = path });

        var before = await app.VerifyAsync();
        Assert.True(before.IsValid, before.Break?.ToString());
        Assert.Equal((11L, 16L, AfterPrune[^1].Hash), (before.EntriesVerified, before.HeadSeq!.Value, before.HeadHash));

        // New appends continue the old chain: ids and seq follow on from what the old code wrote.
        var response = await app.RunAsync("List the files in the workspace");
        response.EnsureSuccessStatusCode();
        var after = await app.VerifyAsync();
        Assert.True(after.IsValid, after.Break?.ToString());
        Assert.Equal(16L + 5, after.HeadSeq);
        Assert.Equal([5L, 6L], (await AuditDatabase.QueryAsync(path, "SELECT id FROM decisions WHERE id > 4 ORDER BY id")).Select(r => (long)r["id"]!));
    }

    [Fact]
    public async Task Search_DatabaseWrittenByEarlierMain_KeepsItsTriggerBuiltIndexAndIndexesNewRuns()
    {
        using var copy = new TempDirectory("audit-fixture");
        var path = copy.Combine("agent.db");
        File.Copy(FixturePath, path);
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:DatabasePath"] = path });
        var search = app.Services.GetRequiredService<AuditQueries>();

        // The old triggers kept the index in step with every commit, so the migration starts the mark at the head.
        Assert.Equal(16L, Assert.Single(await AuditDatabase.QueryAsync(path, "SELECT indexed_seq FROM audit_fts_state"))["indexed_seq"]);
        Assert.Empty(await AuditDatabase.QueryAsync(path, "SELECT name FROM sqlite_master WHERE type = 'trigger'"));
        Assert.Equal([ChainFormatScript.C], (await search.SearchAsync(new AuditQuery { Text = "health" })).Items.Select(r => r.Id));
        Assert.Equal([ChainFormatScript.B], (await search.SearchAsync(new AuditQuery { Text = "café notes" })).Items.Select(r => r.Id));

        var response = await app.RunAsync("List the files in the workspace");
        response.EnsureSuccessStatusCode();
        var runId = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
        await app.Services.GetRequiredService<AuditSearchIndexer>().CatchUpAsync();

        // Run A of the fixture had the same input but was pruned (and left the index with it): only the new run matches.
        Assert.Equal([runId], (await search.SearchAsync(new AuditQuery { Text = "workspace" })).Items.Select(r => r.Id));
        using var audit = new AuditDatabase(path);
        Assert.Equal("ok", audit.SearchIndexCheck());
    }

    private static async Task<(long, string, string, string)[]> EntriesAsync(string databasePath) =>
        [.. (await AuditDatabase.QueryAsync(databasePath, ChainFormatScript.EntriesSql))
            .Select(r => ((long)r["seq"]!, (string)r["kind"]!, (string)r["id"]!, (string)r["hash"]!))];
}
