using Agent.Core.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Agent.Tests.Auditing;

/// <summary>
/// <see cref="AuditTables"/> is the one list of chained tables: the schema has no chained column outside it, and the
/// writer, the verifier and retention all act on exactly the tables and columns it names.
/// </summary>
public sealed class AuditTablesTests
{
    [Fact]
    public async Task Registry_EveryChainedTableAndColumnInTheSchema_IsListed()
    {
        await using var harness = await AgentHarness.StartAsync();
        var tables = (await harness.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'"))
            .Select(r => (string)r["name"]!).ToList();

        foreach (var table in tables)
        {
            var columns = (await harness.QueryAsync($"PRAGMA table_info({table})")).Select(r => (string)r["name"]!).ToHashSet();
            var sources = AuditTables.SourcesOf(table).ToList();
            if (!columns.Contains("hash"))
            {
                Assert.Empty(sources);
                continue;
            }
            if (table == "audit_chain_head")
            {
                continue;
            }
            Assert.Contains(AuditTables.Tables, t => t.Name == table);
            // Each column is written by an entry of the table, or is that entry's seq or hash.
            var listed = sources.SelectMany(s => s.WrittenColumns.Append(s.SeqColumn).Append(s.HashColumn)).ToHashSet();
            Assert.True(columns.SetEquals(listed), $"{table}: schema [{string.Join(", ", columns.Order())}] vs registry [{string.Join(", ", listed.Order())}]");
        }
        Assert.All(AuditTables.Tables, t => Assert.Contains(t.Name, tables));
    }

    public static TheoryData<string, string> HashedColumns()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in AuditTables.Sources)
        {
            foreach (var (name, _) in source.HashedColumns.Where(c => c.Name != source.KeyColumn))
            {
                data.Add(source.Kind, name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(HashedColumns))]
    public async Task Verify_AnyHashedColumnEdited_NamesThatEntry(string kind, string column)
    {
        await using var harness = await AgentHarness.StartAsync(configure: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(ChainFormatScript.Now)));
        await ChainFormatScript.WriteBeforePruneAsync(harness.Services);
        await ChainFormatScript.PruneAndContinueAsync(harness.Services);
        var source = AuditTables.Sources.Single(s => s.Kind == kind);
        var row = (await harness.QueryAsync($"SELECT {source.KeyColumn} AS k, {source.SeqColumn} AS s FROM {source.Table} WHERE {source.SeqColumn} IS NOT NULL ORDER BY 2 DESC LIMIT 1")).Single();
        var key = Convert.ToString(row["k"], System.Globalization.CultureInfo.InvariantCulture)!;

        // A value of another type than any stored one: text where a number was, a number where text was.
        // An attacker with the file can switch foreign keys off, so a broken link is a valid edit too.
        var edited = await AuditTestKit.TamperAsync(harness.DatabasePath, $"PRAGMA foreign_keys = OFF; UPDATE {source.Table} SET {column} = CASE WHEN typeof({column}) = 'text' THEN 12345 ELSE 'x' END WHERE {source.KeyColumn} = '{key}'");
        var result = await harness.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync();

        Assert.Equal(1, edited);
        Assert.False(result.IsValid);
        if (source.Kind == "prune" && column.StartsWith("first_kept", StringComparison.Ordinal))
        {
            // The newest marker is where the walk starts: a false anchor breaks the first entry after it.
            Assert.Equal(("requests", ChainFormatScript.B), (result.Break!.Table, result.Break.RowId));
            return;
        }
        Assert.Equal((source.Table, key), (result.Break!.Table, result.Break.RowId));
    }

    [Fact]
    public async Task WriterVerifierRetention_EveryRegisteredTable_WrittenVerifiedAndPruned()
    {
        var clock = new FakeTimeProvider(ChainFormatScript.Now);
        await using var harness = await AgentHarness.StartAsync(configure: s => s.AddSingleton<TimeProvider>(clock));
        await ChainFormatScript.WriteBeforePruneAsync(harness.Services);
        await ChainFormatScript.PruneAndContinueAsync(harness.Services);

        // The writer: every entry kind in the registry has an entry.
        foreach (var source in AuditTables.Sources)
        {
            Assert.NotEmpty(await harness.QueryAsync($"SELECT 1 FROM {source.Table} WHERE {source.SeqColumn} IS NOT NULL"));
        }
        // The verifier: it walked every entry of every kind.
        var total = 0L;
        foreach (var source in AuditTables.Sources)
        {
            total += (long)(await harness.QueryAsync($"SELECT COUNT({source.SeqColumn}) AS n FROM {source.Table}")).Single()["n"]!;
        }
        var verified = await harness.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync();
        Assert.True(verified.IsValid, verified.Break?.ToString());
        Assert.Equal(total, verified.EntriesVerified);

        // Retention: a cutoff after everything removes every entry of every table (the old marker included); only
        // the markers this prune wrote remain, and it ends although each pass appends a marker.
        clock.Advance(TimeSpan.FromDays(400));
        var pruned = await harness.Services.GetRequiredService<AuditRetention>().PruneAsync(clock.GetUtcNow()).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(total, pruned.DeletedEntries);
        foreach (var table in AuditTables.Tables.Where(t => t.Name != "audit_prunes"))
        {
            Assert.Empty(await harness.QueryAsync($"SELECT 1 FROM {table.Name}"));
        }
        Assert.Equal(pruned.Markers, (await harness.QueryAsync("SELECT 1 FROM audit_prunes")).Count);
        Assert.True((await harness.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync()).IsValid);
    }
}
