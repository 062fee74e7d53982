using System.Net;
using System.Text.Json;
using Agent.Core;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Auditing;

/// <summary>
/// The full-text index is caught up after the commits, in batches, up to a durable high-water mark. These tests hold
/// the index at chosen points (the writer alone runs; <see cref="AuditSearchIndexer.CatchUpAsync"/> moves the mark) to
/// check that search stays exact across those points, after a crash, and through retention.
/// </summary>
public sealed class AuditSearchIndexTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task StartUp_RowsCommittedButNeverIndexed_AreSearchableAsSoonAsTheServerAnswers()
    {
        using var data = new TempDirectory("audit-unindexed");
        var databasePath = data.Combine("agent.db");
        string?[] runs;
        await using (var first = new AgentApplication(new Dictionary<string, string?> { ["Agent:DatabasePath"] = databasePath }))
        {
            File.WriteAllText(Path.Combine(first.WorkspacePath, "walrusberry.txt"), "hello");
            runs = [await RunIdAsync(first, "List the files in the workspace"), await RunIdAsync(first, "quokkaflux")];
        }
        // What a crash between the commits and their indexing leaves: rows in the tables, none of them in the index.
        await AuditTestKit.TamperAsync(databasePath, """
            INSERT INTO requests_fts (requests_fts) VALUES ('delete-all');
            INSERT INTO tool_executions_fts (tool_executions_fts) VALUES ('delete-all');
            UPDATE audit_fts_state SET indexed_seq = 0;
            """);
        Assert.Empty(await AuditDatabase.QueryAsync(databasePath, "SELECT rowid FROM requests_fts WHERE requests_fts MATCH 'quokkaflux'"));

        await using var restarted = new AgentApplication(new Dictionary<string, string?> { ["Agent:DatabasePath"] = databasePath });
        var client = restarted.CreateAuthenticatedClient();

        // No waiting: the index caught up before the server started answering.
        Assert.Equal([runs[0]], await SearchAsync(client, "walrusberry"));
        Assert.Equal([runs[1]], await SearchAsync(client, "quokkaflux"));
        using var verify = await client.GetJsonAsync("/audit/verify");
        Assert.Equal("ok", verify.RootElement.GetProperty("status").GetString());
        using var audit = new AuditDatabase(databasePath);
        Assert.Equal("ok", audit.SearchIndexCheck());
    }

    [Fact]
    public async Task CatchUp_RunIndexedWhileRunningThenCompleted_IsFoundByItsOutputOnceAndIndexMatchesTheTables()
    {
        await using var audit = await WriterOnly.StartAsync();
        var run = await audit.StartRunAsync("alphaword request");
        await audit.Indexer.CatchUpAsync();
        Assert.Equal([run], await audit.SearchAsync("alphaword"));

        await audit.Writer.CompleteRunAsync(run, RunStatus.Success, "omegaword answer", null, Start.AddSeconds(1), 1000);
        Assert.Empty(await audit.SearchAsync("omegaword")); // Committed, not yet indexed.
        await audit.Indexer.CatchUpAsync();

        Assert.Equal([run], await audit.SearchAsync("omegaword"));
        Assert.Equal([run], await audit.SearchAsync("alphaword"));
        Assert.Equal([run], await audit.SearchAsync("alphaword omegaword"));
        Assert.Equal("ok", audit.Database.SearchIndexCheck());
    }

    [Fact]
    public async Task CatchUp_BacklogOfMoreThanOneBatch_IndexesEveryRunIncludingOneSplitAcrossBatches()
    {
        await using var audit = await WriterOnly.StartAsync();
        // Three entries per run (start, decision, completion): a batch of 2,000 entries ends inside run 667.
        var ids = new List<string>();
        for (var i = 0; i < 700; i++)
        {
            var id = await audit.StartRunAsync($"bulkrun{i}");
            await audit.Writer.RecordDecisionAsync(new DecisionRecord { RequestId = id, Step = 1, SelectedTools = "[]", Model = "m", CreatedAt = Start });
            await audit.Writer.CompleteRunAsync(id, RunStatus.Success, $"bulkoutput{i}", null, Start, 1);
            ids.Add(id);
        }

        var indexed = await audit.Indexer.CatchUpAsync();

        Assert.Equal(2_100, indexed);
        Assert.Equal([ids[666]], await audit.SearchAsync("bulkoutput666"));
        Assert.Equal([ids[666]], await audit.SearchAsync("bulkrun666"));
        Assert.Equal([ids[699]], await audit.SearchAsync("bulkoutput699"));
        Assert.Equal(0, await audit.Indexer.CatchUpAsync());
        Assert.Equal("ok", audit.Database.SearchIndexCheck());
    }

    [Fact]
    public async Task Prune_RunsIndexedInFullOrOnlyAtTheirStart_LeaveTheIndexAndNoLongerMatch()
    {
        await using var audit = await WriterOnly.StartAsync();
        var indexedInFull = await audit.StartRunAsync("expiredfull");
        await audit.Writer.CompleteRunAsync(indexedInFull, RunStatus.Success, "expiredfulloutput", null, Start.AddSeconds(1), 1);
        var indexedAtStart = await audit.StartRunAsync("expiredstart");
        await audit.Indexer.CatchUpAsync();
        await audit.Writer.CompleteRunAsync(indexedAtStart, RunStatus.Success, "expiredstartoutput", null, Start.AddSeconds(2), 1);
        var neverIndexed = await audit.StartRunAsync("expirednever");
        await audit.Writer.CompleteRunAsync(neverIndexed, RunStatus.Success, "expirednever output", null, Start.AddSeconds(3), 1);
        var recent = await audit.StartRunAsync("recentrun", Start.AddDays(30));
        await audit.Writer.CompleteRunAsync(recent, RunStatus.Success, "recentoutput", null, Start.AddDays(30), 1);

        var pruned = await audit.Services.GetRequiredService<AuditRetention>().PruneAsync(Start.AddDays(10));
        await audit.Indexer.CatchUpAsync();

        Assert.Equal(6, pruned.DeletedEntries);
        Assert.Empty(await audit.SearchAsync("expired"));
        Assert.Empty(await audit.SearchAsync("expiredstartoutput"));
        Assert.Equal([recent], await audit.SearchAsync("recentoutput"));
        Assert.Equal("ok", audit.Database.SearchIndexCheck());
        var verification = await audit.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync();
        Assert.True(verification.IsValid, verification.Break?.ToString());
    }

    private static async Task<List<string?>> SearchAsync(HttpClient client, string text)
    {
        using var page = await client.GetJsonAsync($"/audit/requests?q={text}");
        return [.. page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString())];
    }

    private static async Task<string?> RunIdAsync(AgentApplication app, string input)
    {
        var response = await app.RunAsync(input);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
    }

    /// <summary>
    /// The audit services over a migrated database with only the chain writer started: no indexer loop and no start-up
    /// catch-up, so the index moves only when the test calls <see cref="AuditSearchIndexer.CatchUpAsync"/>.
    /// </summary>
    private sealed class WriterOnly : IAsyncDisposable
    {
        private readonly TempDirectory _root;

        private WriterOnly(TempDirectory root, ServiceProvider services)
        {
            _root = root;
            Services = services;
            Database = new AuditDatabase(root.Combine("agent.db"));
        }

        public ServiceProvider Services { get; }

        public AuditDatabase Database { get; }

        public IAuditWriter Writer => Services.GetRequiredService<IAuditWriter>();

        public AuditSearchIndexer Indexer => Services.GetRequiredService<AuditSearchIndexer>();

        public static async Task<WriterOnly> StartAsync()
        {
            var root = new TempDirectory("audit-index");
            Directory.CreateDirectory(root.Combine("workspace"));
            MigratedDatabase.CopyTo(root.Combine("agent.db"));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Agent:WorkspaceRoot"] = root.Combine("workspace"),
                ["Agent:DatabasePath"] = root.Combine("agent.db"),
                ["Llm:Provider"] = "local",
            }).Build();
            var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddAgentCore(configuration).BuildServiceProvider();
            await services.GetRequiredService<AuditChain>().StartAsync(CancellationToken.None);
            return new WriterOnly(root, services);
        }

        public async Task<string> StartRunAsync(string input, DateTimeOffset? at = null)
        {
            var id = Guid.NewGuid().ToString();
            await Writer.StartRunAsync(new RunRecord { Id = id, Input = input, Status = RunStatus.Running, Source = "api", CreatedAt = at ?? Start });
            await Services.GetRequiredService<AuditChain>().FlushAsync();
            return id;
        }

        public async Task<List<string>> SearchAsync(string text)
        {
            var page = await Services.GetRequiredService<AuditQueries>().SearchAsync(new AuditQuery { Text = text, PageSize = 500 });
            return [.. page.Items.Select(r => r.Id)];
        }

        public async ValueTask DisposeAsync()
        {
            Database.Dispose();
            await Services.DisposeAsync();
            SqliteConnection.ClearAllPools();
            _root.Dispose();
        }
    }
}
