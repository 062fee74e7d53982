using System.Text.Json.Nodes;
using Agent.Core.Policy;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Approvals;
using Agent.Web.Components.Runs;
using Agent.Web.Security;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Console;

/// <summary>The trace's waiting step: what it shows, who gets the buttons, and how it follows the answer.</summary>
public sealed class ApprovalTimelineTests : ConsoleTestContext
{
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public ApprovalTimelineTests() => Services.AddSingleton<ApprovalDecisions>();

    [Fact]
    public async Task Timeline_ApprovalRequested_ShowsWaitingStepThenFollowsTheApprovalToTheResult()
    {
        AddAuthorization().SetAuthorized("dave").SetRoles("admin");
        await InitializeDatabaseAsync();
        var timeline = WaitingTimeline(new JsonObject { ["path"] = "notes.txt", ["content"] = "hello" }, "writes need a look");
        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline).Add(v => v.MayDecide, true));

        var step = view.Find("[data-testid=timeline-tool]");
        Assert.Equal(("waiting", "awaiting_approval"), (step.GetAttribute("data-state"), step.GetAttribute("data-status")));
        Assert.Equal("awaiting_approval", timeline.DisplayStatus);
        Assert.Equal("ask-writes", view.Find("[data-testid=approval-rule]").TextContent);
        Assert.Equal("writes need a look", view.Find("[data-testid=approval-reason]").TextContent);
        Assert.Equal("a-1", view.Find("[data-testid=approval-request]").GetAttribute("data-approval-id"));
        Assert.Contains(view.FindAll("[data-testid=json-string]"), s => s.TextContent == "notes.txt");
        Assert.Single(view.FindAll("[data-testid=approve]"));
        Assert.Single(view.FindAll("[data-testid=deny]"));
        Assert.Single(view.FindAll("[data-testid=approval-scope]"));

        Push(view, timeline, 5, ApprovalEvents.Decided, new JsonObject
        {
            ["approval_id"] = "a-1",
            ["call_id"] = "c1",
            ["tool_name"] = "write_file",
            ["status"] = "approved",
            ["decided_by"] = "dave",
            ["scope"] = "run",
            ["comment"] = "fine",
        });

        step = view.Find("[data-testid=timeline-tool]");
        Assert.Equal(("running", "running"), (step.GetAttribute("data-state"), step.GetAttribute("data-status")));
        Assert.Empty(view.FindAll("[data-testid=approve]"));
        Assert.Contains("approved by dave", view.Find("[data-testid=policy-approval]").TextContent);
        Assert.Equal("running", timeline.DisplayStatus);

        Push(view, timeline, 6, RunEventTypes.ToolCompleted, new JsonObject
        {
            ["call_id"] = "c1",
            ["tool_name"] = "write_file",
            ["status"] = "success",
            ["duration_ms"] = 4,
            ["output"] = new JsonObject { ["bytes"] = 5 },
            ["policy"] = JsonNode.Parse(new ExecutionPolicy("ask-writes", "ask", "0123456789abcdef", "writes need a look",
                new ExecutionApproval("a-1", "approved", "dave", Start.AddSeconds(3), "run", "fine"),
                new ExecutionGrant("g-1", "run", "dave", Start.AddHours(1))).ToJson()),
        });

        step = view.Find("[data-testid=timeline-tool]");
        Assert.Equal(("done", "success"), (step.GetAttribute("data-state"), step.GetAttribute("data-status")));
        var policy = view.Find("[data-testid=tool-policy]");
        Assert.Equal(("ask-writes", "ask"), (policy.GetAttribute("data-rule"), policy.GetAttribute("data-effect")));
        Assert.Contains("policy 0123456789abcdef", policy.TextContent);
        Assert.Contains("approved by dave at 10:30:03 UTC, scope run", policy.TextContent);
        Assert.Equal("“fine”", view.Find("[data-testid=policy-comment]").TextContent);
        Assert.Contains("g-1", view.Find("[data-testid=policy-grant]").TextContent);
    }

    [Fact]
    public void Timeline_ApprovalDenied_StepEndsBlockedWithTheReason()
    {
        var timeline = WaitingTimeline(new JsonObject { ["path"] = "notes.txt" }, null);
        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline));

        Push(view, timeline, 5, ApprovalEvents.Decided, new JsonObject
        {
            ["approval_id"] = "a-1",
            ["call_id"] = "c1",
            ["status"] = "denied",
            ["decided_by"] = "dave",
            ["comment"] = "not today",
        });
        Push(view, timeline, 6, RunEventTypes.ToolCompleted, new JsonObject
        {
            ["call_id"] = "c1",
            ["tool_name"] = "write_file",
            ["status"] = "blocked",
            ["duration_ms"] = 0,
            ["error"] = "Blocked: dave denied the call (rule 'ask-writes'): not today",
            ["policy"] = JsonNode.Parse(new ExecutionPolicy("ask-writes", "ask", "0123456789abcdef", null,
                new ExecutionApproval("a-1", "denied", "dave", Start.AddSeconds(3), "once", "not today")).ToJson()),
        });

        var step = view.Find("[data-testid=timeline-tool]");
        Assert.Equal(("done", "blocked"), (step.GetAttribute("data-state"), step.GetAttribute("data-status")));
        Assert.Contains("dave denied the call", view.Find("[data-testid=tool-error]").TextContent);
        Assert.Equal("denied", view.Find("[data-testid=policy-approval]").GetAttribute("data-status"));
        Assert.Empty(view.FindAll("[data-testid=approval-request]"));
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData(KeyRoleNames.Operator, true)]
    [InlineData("runner", false)]
    [InlineData("auditor", false)]
    public void ApprovalRoles_MayDecide_OnlyAdminsAndOperators(string role, bool decides)
    {
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, "someone"), new(System.Security.Claims.ClaimTypes.Role, role)], "test"));

        Assert.Equal(decides, user.MayDecide());
    }

    [Fact]
    public void Timeline_WaitingStepForAViewerWhoMayNotDecide_ShowsTheRequestWithoutButtons()
    {
        var timeline = WaitingTimeline(new JsonObject { ["path"] = "notes.txt" }, "writes need a look");

        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline).Add(v => v.MayDecide, false));

        Assert.Equal("ask-writes", view.Find("[data-testid=approval-rule]").TextContent);
        Assert.Empty(view.FindAll("[data-testid=approval-actions]"));
        Assert.Single(view.FindAll("[data-testid=approval-view-only]"));
    }

    [Fact]
    public async Task Timeline_HostileArgumentsReasonAndComment_RenderAsText()
    {
        AddAuthorization().SetAuthorized("dave").SetRoles("admin");
        await InitializeDatabaseAsync();
        var timeline = WaitingTimeline(new JsonObject { ["path"] = HostileText.Img, ["content"] = HostileText.Combined }, HostileText.Script);
        var view = Render<RunTimelineView>(p => p.Add(v => v.Timeline, timeline).Add(v => v.MayDecide, true));

        Assert.Empty(view.FindAll(HostileText.InjectedElements));
        Assert.Equal(HostileText.Script, view.Find("[data-testid=approval-reason]").TextContent);
        Assert.Contains(view.FindAll("[data-testid=json-string]"), s => s.TextContent == HostileText.Img);

        Push(view, timeline, 5, ApprovalEvents.Decided, new JsonObject
        {
            ["approval_id"] = "a-1",
            ["call_id"] = "c1",
            ["status"] = "approved",
            ["decided_by"] = HostileText.Svg,
            ["scope"] = "once",
            ["comment"] = HostileText.Combined,
        });

        Assert.Empty(view.FindAll(HostileText.InjectedElements));
        Assert.Equal($"“{HostileText.Combined}”", view.Find("[data-testid=policy-comment]").TextContent);
        Assert.Contains(HostileText.Svg, view.Find("[data-testid=policy-approval]").TextContent);
    }

    /// <summary>A run whose write_file call (c1) waits on approval a-1 of rule ask-writes.</summary>
    private static RunTimeline WaitingTimeline(JsonObject input, string? reason)
    {
        var timeline = new RunTimeline();
        timeline.Apply(Event(1, RunEventTypes.RunStarted, new JsonObject { ["input"] = "write hello to notes.txt" }));
        timeline.Apply(Event(2, RunEventTypes.Decision, new JsonObject
        {
            ["step"] = 1,
            ["latency_ms"] = 1,
            ["tools"] = new JsonArray(new JsonObject { ["name"] = "write_file" }),
        }));
        timeline.Apply(Event(3, RunEventTypes.ToolStarted, new JsonObject { ["call_id"] = "c1", ["tool_name"] = "write_file", ["input"] = input.DeepClone() }));
        timeline.Apply(Event(4, ApprovalEvents.Requested, new JsonObject
        {
            ["approval_id"] = "a-1",
            ["call_id"] = "c1",
            ["tool_name"] = "write_file",
            ["rule_id"] = "ask-writes",
            ["reason"] = reason,
            ["input"] = input.DeepClone(),
            ["expires_at"] = Start.AddMinutes(10).ToString("O"),
        }));
        return timeline;
    }

    private static void Push(IRenderedComponent<RunTimelineView> view, RunTimeline timeline, int sequence, string type, JsonObject data)
    {
        timeline.Apply(Event(sequence, type, data));
        view.Render();
    }

    /// <summary>Events as the wire carries them, read into the typed records the timeline folds.</summary>
    private static RunEvent Event(int sequence, string type, JsonObject data) => WireRunEvent.Read("run-1", sequence, type, Start.AddMilliseconds(sequence), data);
}
