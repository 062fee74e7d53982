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
        Assert.Equal("running", running.GetAttribute("data-state"));
        Assert.NotNull(running.QuerySelector("[data-testid=step-elapsed]"));

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
        Assert.Equal("done", tool.GetAttribute("data-state"));
        Assert.Null(tool.QuerySelector("[data-testid=step-elapsed]"));
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

    [Fact]
    public void Timeline_DecisionSelectedTwoTools_SecondIsPendingUntilItStarts()
    {
        var timeline = new RunTimeline();
        timeline.Apply(Event(1, RunEventTypes.RunStarted, new JsonObject { ["input"] = "read a and b" }));
        timeline.Apply(Event(2, RunEventTypes.Decision, new JsonObject
        {
            ["step"] = 1,
            ["latency_ms"] = 1,
            ["model"] = "local-planner",
            ["input_tokens"] = 12,
            ["output_tokens"] = 3,
            ["tools"] = new JsonArray(new JsonObject { ["name"] = "read_file" }, new JsonObject { ["name"] = "list_dir" }),
        }));
        timeline.Apply(Event(3, RunEventTypes.ToolStarted, new JsonObject { ["call_id"] = "c1", ["tool_name"] = "read_file" }));
        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline));

        Assert.Equal("running", view.Find("[data-testid=timeline-tool]").GetAttribute("data-state"));
        var pending = view.Find("[data-testid=timeline-pending]");
        Assert.Equal("list_dir", pending.GetAttribute("data-tool"));
        Assert.Equal("pending", pending.GetAttribute("data-state"));
        var meta = view.Find("[data-testid=decision-meta]").TextContent;
        Assert.Contains("local-planner", meta);
        Assert.Contains("12 in / 3 out tokens", meta);

        Push(view, timeline, 4, RunEventTypes.ToolCompleted, new JsonObject { ["call_id"] = "c1", ["tool_name"] = "read_file", ["status"] = "success", ["duration_ms"] = 6115 });
        Push(view, timeline, 5, RunEventTypes.ToolStarted, new JsonObject { ["call_id"] = "c2", ["tool_name"] = "list_dir" });

        Assert.Empty(view.FindAll("[data-testid=timeline-pending]"));
        Assert.Equal(["done", "running"], view.FindAll("[data-testid=timeline-tool]").Select(t => t.GetAttribute("data-state")));
        // One duration format: 6115 ms reads as seconds.
        Assert.Contains("6.1 s", view.FindAll("[data-testid=timeline-tool]")[0].TextContent);
    }

    [Fact]
    public void Timeline_MultiLineOutput_KeepsLineBreaksAsText()
    {
        var timeline = new RunTimeline();
        timeline.Apply(Event(1, RunEventTypes.ToolStarted, new JsonObject { ["call_id"] = "c1", ["tool_name"] = "read_file", ["input"] = new JsonObject { ["path"] = "notes.txt" } }));
        timeline.Apply(Event(2, RunEventTypes.ToolCompleted, new JsonObject
        {
            ["call_id"] = "c1",
            ["tool_name"] = "read_file",
            ["status"] = "success",
            ["duration_ms"] = 2,
            ["output"] = new JsonObject { ["path"] = "notes.txt", ["content"] = "line 1\nline 2\n  indented" },
        }));
        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline));

        view.Find("[data-testid=expand-all]").Click();

        var content = view.FindAll("[data-testid=json-string]").Single(s => s.TextContent.StartsWith("line 1", StringComparison.Ordinal));
        Assert.Equal("line 1\nline 2\n  indented", content.TextContent);
        Assert.Contains("multiline", content.ClassList);
        Assert.DoesNotContain("\\n", view.Markup);
    }

    [Fact]
    public void Timeline_TruncatedOutput_ShowsDecodedPreviewAndHowMuchWasCut()
    {
        var original = new JsonObject { ["path"] = "big.txt", ["content"] = "first line\nsecond \"quoted\" line\n" + new string('x', 500) }.ToJsonString();
        var preview = original[..60];
        var timeline = new RunTimeline();
        timeline.Apply(Event(1, RunEventTypes.ToolCompleted, new JsonObject
        {
            ["call_id"] = "c1",
            ["tool_name"] = "read_file",
            ["status"] = "success",
            ["duration_ms"] = 2,
            ["truncated"] = true,
            ["output"] = new JsonObject { ["truncated"] = true, ["original_length"] = original.Length, ["preview"] = preview },
        }));
        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline));

        view.Find("[data-testid=expand-all]").Click();

        var note = view.Find("[data-testid=truncated-note]").TextContent;
        Assert.Contains($"first 60 of {original.Length}", note);
        Assert.Contains($"{original.Length - 60} cut", note);
        var strings = view.FindAll("[data-testid=json-string]").Select(s => s.TextContent).ToList();
        Assert.Contains("big.txt", strings);
        Assert.Contains("first line\nsecond \"quoted", strings);
        Assert.DoesNotContain("{\\\"path", view.Markup);
    }

    [Fact]
    public void Timeline_HostileToolNameReasoningOutputAndError_RenderAsText()
    {
        var timeline = new RunTimeline();
        timeline.Apply(Event(1, RunEventTypes.RunStarted, new JsonObject { ["input"] = HostileText.Combined }));
        timeline.Apply(Event(2, RunEventTypes.Decision, new JsonObject
        {
            ["step"] = 1,
            ["reasoning"] = HostileText.Combined,
            ["model"] = HostileText.Svg,
            ["tools"] = new JsonArray(new JsonObject { ["name"] = HostileText.Img }, new JsonObject { ["name"] = HostileText.Script }),
        }));
        timeline.Apply(Event(3, RunEventTypes.ToolCompleted, new JsonObject
        {
            ["call_id"] = "c1",
            ["tool_name"] = HostileText.Img,
            ["status"] = "unknown_tool",
            ["error"] = $"Tool '{HostileText.Img}' is not in the allowlist. {HostileText.Style}",
            ["output"] = new JsonObject { ["text"] = HostileText.Combined, [HostileText.Script] = HostileText.Svg },
        }));
        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline));

        view.Find("[data-testid=expand-all]").Click();

        Assert.Empty(view.FindAll(HostileText.InjectedElements));
        Assert.Equal(HostileText.Img, view.Find("[data-testid=timeline-tool]").GetAttribute("data-tool"));
        Assert.Equal(HostileText.Combined, view.Find("[data-testid=reasoning]").TextContent);
        Assert.Contains(HostileText.Style, view.Find("[data-testid=tool-error]").TextContent);
    }

    private static void Push(IRenderedComponent<RunTimelineView> view, RunTimeline timeline, int sequence, string type, JsonObject data)
    {
        timeline.Apply(Event(sequence, type, data));
        view.Render();
    }

    /// <summary>Events as the wire carries them, read into the typed records the timeline folds.</summary>
    private static RunEvent Event(int sequence, string type, JsonObject data) => WireRunEvent.Read("run-1", sequence, type, Start.AddMilliseconds(sequence), data);
}
