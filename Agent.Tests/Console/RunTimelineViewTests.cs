using System.Text.Json.Nodes;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Runs;
using Bunit;

namespace Agent.Tests.Console;

public sealed class RunTimelineViewTests : ConsoleTestContext
{
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Timeline_PushedEventsInOrder_RendersDecisionThenToolThenAnswer()
    {
        var timeline = new RunTimeline();
        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline));

        Push(view, timeline, 1, RunEventTypes.RunStarted, new JsonObject { ["input"] = "list the files" });
        Push(view, timeline, 2, RunEventTypes.Decision, new JsonObject
        {
            ["step"] = 1,
            ["reasoning"] = "Plan: list_dir",
            ["latency_ms"] = 3,
            ["tools"] = new JsonArray(new JsonObject { ["id"] = "c1", ["name"] = "list_dir" }),
        });
        Push(view, timeline, 3, RunEventTypes.ToolStarted, new JsonObject { ["call_id"] = "c1", ["tool_name"] = "list_dir", ["input"] = new JsonObject { ["path"] = "." } });

        var running = view.Find("[data-testid=timeline-tool]");
        Assert.Equal("running", running.GetAttribute("data-status"));
        Assert.NotNull(running.QuerySelector(".mud-progress-circular"));

        Push(view, timeline, 4, RunEventTypes.ToolCompleted, new JsonObject
        {
            ["call_id"] = "c1",
            ["tool_name"] = "list_dir",
            ["status"] = "success",
            ["duration_ms"] = 7,
            ["output"] = new JsonObject { ["count"] = 2 },
            ["truncated"] = false,
        });
        Push(view, timeline, 5, RunEventTypes.Decision, new JsonObject { ["step"] = 2, ["reasoning"] = "The workspace contains 2 entries.", ["tools"] = new JsonArray(), ["latency_ms"] = 1 });
        Push(view, timeline, 6, RunEventTypes.RunFinished, new JsonObject { ["status"] = "success", ["output"] = "The workspace contains 2 entries.", ["duration_ms"] = 20 });

        var items = view.FindAll("[data-testid^=timeline-]").Where(e => e.GetAttribute("data-testid") != "timeline").ToList();
        Assert.Equal(["timeline-decision", "timeline-tool", "timeline-decision"], items.Select(i => i.GetAttribute("data-testid")));
        var tool = view.Find("[data-testid=timeline-tool]");
        Assert.Equal("success", tool.GetAttribute("data-status"));
        Assert.Contains("7 ms", tool.TextContent);
        Assert.Null(tool.QuerySelector(".mud-progress-circular"));
        Assert.Equal("success", timeline.Status);
        Assert.Equal(20, timeline.DurationMs);
    }

    [Fact]
    public void Timeline_EventReplayedTwice_IsAppliedOnce()
    {
        var timeline = new RunTimeline();
        var started = Event(3, RunEventTypes.ToolStarted, new JsonObject { ["call_id"] = "c1", ["tool_name"] = "read_file" });

        timeline.Apply(started);
        timeline.Apply(started);

        Assert.Single(timeline.Entries);
    }

    [Fact]
    public void Timeline_FailedTool_ShowsStatusAndError()
    {
        var timeline = new RunTimeline();
        timeline.Apply(Event(1, RunEventTypes.ToolStarted, new JsonObject { ["call_id"] = "c1", ["tool_name"] = "read_file" }));
        timeline.Apply(Event(2, RunEventTypes.ToolCompleted, new JsonObject
        {
            ["call_id"] = "c1",
            ["tool_name"] = "read_file",
            ["status"] = "blocked",
            ["duration_ms"] = 0,
            ["error"] = "Path '../x' escapes the workspace.",
        }));

        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline));

        Assert.Equal("blocked", view.Find("[data-testid=timeline-tool]").GetAttribute("data-status"));
        Assert.Contains("escapes the workspace", view.Markup);
    }

    private static void Push(IRenderedComponent<RunTimelineView> view, RunTimeline timeline, int sequence, string type, JsonObject data)
    {
        timeline.Apply(Event(sequence, type, data));
        view.Render();
    }

    private static RunEvent Event(int sequence, string type, JsonObject data) => new("run-1", sequence, type, Start.AddMilliseconds(sequence), data);
}
