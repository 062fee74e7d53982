using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Console;

public sealed class ChainStatusMonitorTests : ConsoleTestContext
{
    [Fact]
    public async Task GetAsync_HeadUnchanged_ReusesTheRememberedResultWithoutAWalk()
    {
        await InitializeDatabaseAsync();
        var runner = Services.GetRequiredService<AgentRunner>();
        await runner.RunAsync(new RunRequest("check your health", "api", null, null), CancellationToken.None);
        var monitor = Services.GetRequiredService<ChainStatusMonitor>();

        var first = await monitor.GetAsync();
        var again = await monitor.GetAsync();

        Assert.True(first.Result.IsValid);
        Assert.Same(first, again);
        Assert.Equal(first.Result.HeadSeq, first.Head.Seq);
    }

    [Fact]
    public async Task GetAsync_NewEntriesAppended_VerifiesAgainUpToTheNewHead()
    {
        await InitializeDatabaseAsync();
        var runner = Services.GetRequiredService<AgentRunner>();
        await runner.RunAsync(new RunRequest("check your health", "api", null, null), CancellationToken.None);
        var monitor = Services.GetRequiredService<ChainStatusMonitor>();
        var before = await monitor.GetAsync();

        await runner.RunAsync(new RunRequest("check your health", "api", null, null), CancellationToken.None);
        var after = await monitor.GetAsync();

        Assert.NotSame(before, after);
        Assert.True(after.Result.IsValid);
        Assert.True(after.Result.HeadSeq > before.Result.HeadSeq);
    }

    [Fact]
    public async Task GetAsync_Forced_FindsAnEditBehindAnUnchangedHead()
    {
        await InitializeDatabaseAsync();
        var runner = Services.GetRequiredService<AgentRunner>();
        var run = await runner.RunAsync(new RunRequest("check your health", "api", null, null), CancellationToken.None);
        var monitor = Services.GetRequiredService<ChainStatusMonitor>();
        Assert.True((await monitor.GetAsync()).Result.IsValid);

        await using (var tamper = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await tamper.OpenAsync();
            await using var update = tamper.CreateCommand();
            update.CommandText = $"UPDATE requests SET input = 'edited' WHERE id = '{run.RunId}'";
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        Assert.Same(await monitor.GetAsync(), monitor.Last);
        var forced = await monitor.GetAsync(force: true);

        Assert.False(forced.Result.IsValid);
        Assert.Equal("requests", forced.Result.Break!.Table);
    }

    [Fact]
    public async Task GetAsync_HeadMoved_ResumesFromTheVerifiedHeadAndCountsTheWholeChain()
    {
        await InitializeDatabaseAsync();
        var runner = Services.GetRequiredService<AgentRunner>();
        var first = await runner.RunAsync(new RunRequest("check your health", "api", null, null), CancellationToken.None);
        var monitor = Services.GetRequiredService<ChainStatusMonitor>();
        var before = await monitor.GetAsync();
        await runner.RunAsync(new RunRequest("check your health", "api", null, null), CancellationToken.None);

        // An edit behind the verified head: the incremental check does not re-hash it, the forced full walk does.
        await using (var tamper = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await tamper.OpenAsync();
            await using var update = tamper.CreateCommand();
            update.CommandText = $"UPDATE requests SET input = 'edited' WHERE id = '{first.RunId}'";
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        var after = await monitor.GetAsync();
        var forced = await monitor.GetAsync(force: true);

        Assert.True(after.Result.IsValid);
        Assert.Equal(before.Result.HeadSeq, after.Result.ResumedFromSeq);
        Assert.Equal(after.Result.HeadSeq, after.Head.Seq);
        Assert.Equal(after.Result.HeadSeq, after.Result.EntriesVerified);
        Assert.False(forced.Result.IsValid);
        Assert.Equal(first.RunId, forced.Result.Break!.RowId);
    }
}
