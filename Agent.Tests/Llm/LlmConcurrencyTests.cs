using System.Diagnostics;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Llm;

/// <summary>
/// Model calls past <c>Llm:MaxConcurrentCalls</c> wait for a slot instead of failing: the HTTP client's standard
/// resilience handler would otherwise refuse every call past its own 1,000 at once, ending those runs as errors.
/// </summary>
public sealed class LlmConcurrencyTests
{
    private static readonly TimeSpan TurnTime = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task RunAsync_MoreRunsWaitingOnTheModelThanTheBound_TheExtraOnesWaitAndAllSucceed()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.WhenScriptEnds(FakeReply.Text("Done.") with { Delay = TurnTime });
        var settings = AgentHarness.RemoteSettings(server);
        settings["Llm:MaxConcurrentCalls"] = "1";
        await using var harness = await AgentHarness.StartAsync(settings);

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => harness.RunAsync($"Run {i}")));
        var elapsed = clock.Elapsed;

        Assert.All(results, r => Assert.Equal(RunStatus.Success, r.Status));
        Assert.All(results, r => Assert.Equal("Done.", r.Output));
        Assert.Equal(3, server.RequestCount);
        // One call at a time: the three answers, each taking TurnTime from its arrival, came one after another.
        Assert.True(elapsed >= TurnTime * 3 - TimeSpan.FromMilliseconds(50), $"three calls overlapped: {elapsed.TotalMilliseconds:0} ms");
    }
}
