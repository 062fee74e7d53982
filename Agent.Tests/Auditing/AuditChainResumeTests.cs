using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Auditing;

/// <summary>The verifier's incremental entry point: resume from a verified (seq, hash), walk only later entries.</summary>
public sealed class AuditChainResumeTests : ConsoleTestContext
{
    private async Task<(ChainVerification Verified, string FirstRun, string SecondRun)> TwoRunsVerifiedAfterFirstAsync()
    {
        await InitializeDatabaseAsync();
        var runner = Services.GetRequiredService<AgentRunner>();
        var first = await runner.RunAsync(new RunRequest("check your health", "api", null, null), CancellationToken.None);
        var verified = await Services.GetRequiredService<AuditChainVerifier>().VerifyAsync();
        Assert.True(verified.IsValid);
        var second = await runner.RunAsync(new RunRequest("check your health again", "api", null, null), CancellationToken.None);
        return (verified, first.RunId, second.RunId);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(await command.ExecuteNonQueryAsync() > 0);
    }

    [Fact]
    public async Task VerifyFrom_UntouchedChain_WalksOnlyTheNewEntriesUpToTheHead()
    {
        var (verified, _, _) = await TwoRunsVerifiedAfterFirstAsync();
        var verifier = Services.GetRequiredService<AuditChainVerifier>();

        var resumed = await verifier.VerifyFromAsync(verified.HeadSeq!.Value, verified.HeadHash!);
        var full = await verifier.VerifyAsync();

        Assert.True(resumed.IsValid);
        Assert.Equal(verified.HeadSeq, resumed.ResumedFromSeq);
        Assert.Equal(full.HeadSeq, resumed.HeadSeq);
        Assert.Equal(full.HeadHash, resumed.HeadHash);
        Assert.Equal(full.EntriesVerified - verified.EntriesVerified, resumed.EntriesVerified);
    }

    [Fact]
    public async Task VerifyFrom_EditAfterTheVerifiedPoint_IsFound()
    {
        var (verified, _, second) = await TwoRunsVerifiedAfterFirstAsync();
        await ExecuteAsync($"UPDATE requests SET input = 'edited' WHERE id = '{second}'");

        var resumed = await Services.GetRequiredService<AuditChainVerifier>().VerifyFromAsync(verified.HeadSeq!.Value, verified.HeadHash!);

        Assert.False(resumed.IsValid);
        Assert.Equal("requests", resumed.Break!.Table);
        Assert.Equal(second, resumed.Break.RowId);
    }

    [Fact]
    public async Task VerifyFrom_EditBeforeTheVerifiedPoint_IsNotFoundButAFullWalkFindsIt()
    {
        var (verified, first, _) = await TwoRunsVerifiedAfterFirstAsync();
        await ExecuteAsync($"UPDATE requests SET input = 'edited' WHERE id = '{first}'");
        var verifier = Services.GetRequiredService<AuditChainVerifier>();

        var resumed = await verifier.VerifyFromAsync(verified.HeadSeq!.Value, verified.HeadHash!);
        var full = await verifier.VerifyAsync();

        // The documented limit of the incremental check: entries before the verified point are not re-hashed.
        Assert.True(resumed.IsValid);
        Assert.False(full.IsValid);
        Assert.Equal(first, full.Break!.RowId);
    }

    [Fact]
    public async Task VerifyFrom_VerifiedEntryRewritten_IsFound()
    {
        var (verified, _, _) = await TwoRunsVerifiedAfterFirstAsync();
        await ExecuteAsync($"UPDATE requests SET completion_hash = '{new string('0', 64)}' WHERE completion_seq = {verified.HeadSeq}");

        var resumed = await Services.GetRequiredService<AuditChainVerifier>().VerifyFromAsync(verified.HeadSeq!.Value, verified.HeadHash!);

        Assert.False(resumed.IsValid);
        Assert.Equal(verified.HeadSeq, resumed.Break!.Seq);
    }

    [Fact]
    public async Task VerifyFrom_VerifiedEntryDeletedWithoutPrune_IsFound()
    {
        var (verified, first, _) = await TwoRunsVerifiedAfterFirstAsync();
        await ExecuteAsync($"DELETE FROM tool_executions WHERE request_id = '{first}'; DELETE FROM decisions WHERE request_id = '{first}'; DELETE FROM requests WHERE id = '{first}'");

        var resumed = await Services.GetRequiredService<AuditChainVerifier>().VerifyFromAsync(verified.HeadSeq!.Value, verified.HeadHash!);

        Assert.False(resumed.IsValid);
        Assert.Contains("missing", resumed.Break!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFrom_PointPrunedByRetention_FallsBackToAFullWalkFromTheAnchor()
    {
        var (verified, _, _) = await TwoRunsVerifiedAfterFirstAsync();
        await Services.GetRequiredService<AuditRetention>().PruneAsync(DateTimeOffset.UtcNow.AddMinutes(5));

        var resumed = await Services.GetRequiredService<AuditChainVerifier>().VerifyFromAsync(verified.HeadSeq!.Value, verified.HeadHash!);

        Assert.True(resumed.IsValid);
        Assert.Null(resumed.ResumedFromSeq);
        Assert.True(resumed.HeadSeq > verified.HeadSeq);
    }
}
