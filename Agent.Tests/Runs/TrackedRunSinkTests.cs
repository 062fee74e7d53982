using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Runs;

namespace Agent.Tests.Runs;

/// <summary>A run's events go to its own tracker directly; the cross-run listeners get them from the tracker, after it.</summary>
public sealed class TrackedRunSinkTests
{
    [Fact]
    public async Task RunAsync_TrackerAsTheRunsSink_ReceivesEveryEventWithoutTheGlobalSink()
    {
        await using var harness = await AgentHarness.StartAsync();
        var request = new RunRequest("list the files", "api", "tests", null);
        var run = new TrackedRun(request, DateTimeOffset.UtcNow, maxHistoryBytes: 1 << 20);

        var result = await harness.Runner.RunAsync(request, run, CancellationToken.None);

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal([typeof(RunStartedData), typeof(DecisionData), typeof(ToolStartedData), typeof(ToolCompletedData), typeof(DecisionData), typeof(RunFinishedData)],
            run.Events.Select(e => e.Data.GetType()));
        Assert.All(run.Events, e => Assert.Equal(request.RunId, e.RunId));
        // Nothing went through the runner's global sink (the broker in the server): the tracker was the only way out.
        Assert.Empty(harness.Events.All);
    }

    [Fact]
    public async Task Publish_WithCrossRunListener_KeepsTheEventFirstThenPassesTheSameInstanceOn()
    {
        await using var harness = await AgentHarness.StartAsync();
        var request = new RunRequest("list the files", "api", "tests", null);
        var crossRun = new OrderCheckingSink();
        var run = new TrackedRun(request, DateTimeOffset.UtcNow, maxHistoryBytes: 1 << 20, crossRun);
        crossRun.Run = run;

        await harness.Runner.RunAsync(request, run, CancellationToken.None);

        Assert.Equal(6, crossRun.Received.Count);
        Assert.Equal(run.Events, crossRun.Received);
        Assert.All(crossRun.KeptBeforeForwarding, Assert.True);
    }

    /// <summary>Records each event and whether the tracker already held it when it arrived.</summary>
    private sealed class OrderCheckingSink : IRunEventSink
    {
        public TrackedRun? Run { get; set; }
        public List<RunEvent> Received { get; } = [];
        public List<bool> KeptBeforeForwarding { get; } = [];

        public void Publish(RunEvent runEvent)
        {
            Received.Add(runEvent);
            KeptBeforeForwarding.Add(Run!.Events.Contains(runEvent));
        }
    }
}
