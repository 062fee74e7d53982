using Agent.Core.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Agent.Tests.Auditing;

/// <summary>decisions.finish_reason joined the hash chain after rows existed: a NULL must hash exactly as the row did before.</summary>
public sealed class DecisionFinishReasonChainTests
{
    private static readonly string[] ColumnsBefore =
        ["id", "request_id", "step", "reasoning", "selected_tools", "model", "input_tokens", "output_tokens", "latency_ms", "created_at"];

    [Fact]
    public async Task Canonical_NullFinishReason_IsTheBytesTheRowHadBeforeTheColumnExisted()
    {
        var entry = await ReadDecisionAsync("NULL");

        var before = new CanonicalJson().Add("kind", "decision").Add("seq", 7L);
        foreach (var column in ColumnsBefore)
        {
            before.Add(column, Values[column]);
        }

        Assert.Equal(before.ToUtf8Bytes(), entry.Canonical);
        Assert.DoesNotContain("finish_reason", System.Text.Encoding.UTF8.GetString(entry.Canonical));
    }

    [Fact]
    public async Task Canonical_FinishReasonSet_IsCoveredByTheHash()
    {
        var stop = await ReadDecisionAsync("'stop'");
        var length = await ReadDecisionAsync("'length'");

        Assert.Contains("\"finish_reason\":\"stop\"", System.Text.Encoding.UTF8.GetString(stop.Canonical));
        Assert.NotEqual(ChainSource.NextHash(ChainSource.GenesisHash, stop.Canonical), ChainSource.NextHash(ChainSource.GenesisHash, length.Canonical));
    }

    [Fact]
    public async Task Verify_RunWithFinishReasons_IsIntactAndAnEditedFinishReasonIsCaught()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.WriteFile("a.txt", "x");
        var result = await harness.RunAsync("list the files");
        var decisions = await harness.DecisionsAsync(result.RunId);
        Assert.Equal(["tool_calls", "stop"], decisions.Select(d => (string?)d["finish_reason"]));
        var verifier = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AuditChainVerifier>(harness.Services);
        Assert.True((await verifier.VerifyAsync()).IsValid);

        await using (var connection = new SqliteConnection($"Data Source={harness.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var edit = connection.CreateCommand();
            edit.CommandText = $"UPDATE decisions SET finish_reason = 'length' WHERE id = {decisions[1]["id"]}";
            await edit.ExecuteNonQueryAsync();
        }

        var broken = await verifier.VerifyAsync();
        Assert.False(broken.IsValid);
    }

    private static readonly Dictionary<string, object?> Values = new()
    {
        ["id"] = 5L,
        ["request_id"] = "r-1",
        ["step"] = 1L,
        ["reasoning"] = null,
        ["selected_tools"] = "[]",
        ["model"] = "m",
        ["input_tokens"] = 3L,
        ["output_tokens"] = null,
        ["latency_ms"] = 12L,
        ["created_at"] = "2026-01-15T10:30:00.0000000Z",
    };

    /// <summary>A decision row as SQLite hands it to the chain reader: seq, hash, key, then the hashed columns in order.</summary>
    private static async Task<ChainEntry> ReadDecisionAsync(string finishReason)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 7, 'h', 5, 5, 'r-1', 1, NULL, '[]', 'm', 3, NULL, 12, '2026-01-15T10:30:00.0000000Z', " + finishReason;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return AuditTables.Decision.Read(reader);
    }
}
