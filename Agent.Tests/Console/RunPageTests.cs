using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Pages;
using Agent.Web.Runs;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Console;

public sealed class RunPageTests : ConsoleTestContext
{
    [Fact]
    public async Task Run_SubmitInstruction_OpensTheRunsPageWhichShowsTheResult()
    {
        AddAuthorization().SetAuthorized("operator-one");
        await InitializeDatabaseAsync();
        Directory.CreateDirectory(WorkspacePath);
        File.WriteAllText(Path.Combine(WorkspacePath, "notes.txt"), "hello");
        var page = Render<Run>();

        page.Find("textarea").Input("List the files in the workspace");
        page.Find("[data-testid=submit]").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.Matches("/runs/[0-9a-f-]{36}$", navigation.Uri);
        var id = navigation.Uri[(navigation.Uri.LastIndexOf('/') + 1)..];
        var record = Render<RunRecord>(p => p.Add(r => r.Id, id));
        record.WaitForAssertion(() =>
        {
            Assert.Equal("success", record.Find("[data-testid=timeline-tool]").GetAttribute("data-status"));
            Assert.Contains("notes.txt", record.Find("[data-testid=run-output]").TextContent);
            Assert.Equal("operator-one", Services.GetRequiredService<RunManager>().Find(id)!.Request.Principal);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Run_EmptyInstruction_CannotSubmit()
    {
        AddAuthorization().SetAuthorized("operator-one");
        var page = Render<Run>();

        Assert.True(page.Find("[data-testid=submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task RunRecord_RunStartedElsewhere_ShowsItLiveCancelsItAndShowsCancelled()
    {
        AddAuthorization().SetAuthorized("root").SetRoles("admin");
        var tool = new BlockingTool();
        Services.AddSingleton<IAgentTool>(tool);
        Services.AddSingleton<IChatCompletionService>(new ScriptedChatService([(BlockingTool.ToolName, new KernelArguments())]));
        await InitializeDatabaseAsync();
        var run = Services.GetRequiredService<RunManager>().Start(new Agent.Core.Runs.RunRequest("wait forever", "api", "automation", null)).Run!;
        await tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var page = Render<RunRecord>(p => p.Add(r => r.Id, run.Id));

        page.WaitForAssertion(() =>
        {
            var step = page.Find("[data-testid=timeline-tool]");
            Assert.Equal("running", step.GetAttribute("data-state"));
            Assert.Equal(BlockingTool.ToolName, step.GetAttribute("data-tool"));
            Assert.Equal("running", page.Find("[data-testid=run-status]").GetAttribute("data-status"));
        });
        page.Find("[data-testid=cancel]").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("cancelled", page.Find("[data-testid=run-status]").GetAttribute("data-status"));
            Assert.Empty(page.FindAll("[data-testid=cancel]"));
            Assert.NotNull(page.Find("[data-testid=rerun]"));
        }, TimeSpan.FromSeconds(10));
        Assert.Equal("error", run.Result!.Status);
    }

    [Fact]
    public async Task RunRecord_UnknownInstruction_ShowsNotUnderstood()
    {
        await InitializeDatabaseAsync();
        var runner = Services.GetRequiredService<Agent.Core.Runs.AgentRunner>();
        var result = await runner.RunAsync(new Agent.Core.Runs.RunRequest("make me a sandwich", "api", null, null), CancellationToken.None);

        var page = Render<RunRecord>(p => p.Add(r => r.Id, result.RunId));

        page.WaitForAssertion(() => Assert.Equal("not understood", page.Find("[data-testid=run-status]").GetAttribute("data-status")));
        Assert.Equal("success", result.Status);
    }

    [Theory]
    [InlineData("automation", "runner", true)]
    [InlineData("someone-else", "runner", false)]
    [InlineData("auditor-one", "auditor", false)]
    [InlineData("root", "admin", true)]
    public async Task RunRecord_CancelButton_ShownOnlyToThoseAllowedToCancel(string viewer, string role, bool shown)
    {
        AddAuthorization().SetAuthorized(viewer).SetRoles(role);
        var (run, _) = await StartBlockingRunAsync("automation");

        var page = Render<RunRecord>(p => p.Add(r => r.Id, run.Id));

        page.WaitForAssertion(() => Assert.Equal("running", page.Find("[data-testid=run-status]").GetAttribute("data-status")));
        Assert.Equal(shown, page.FindAll("[data-testid=cancel]").Count == 1);
        run.Cancel("test cleanup");
    }

    [Theory]
    [InlineData("someone-else", "runner", "not_owner")]
    [InlineData("auditor-one", "auditor", "role_forbidden")]
    public async Task RunRecord_CancelInvokedWithoutTheRight_IsRefusedAndRecorded(string viewer, string role, string reason)
    {
        AddAuthorization().SetAuthorized(viewer).SetRoles(role);
        var recorded = new RecordingSecurityEvents();
        Services.AddSingleton<Agent.Core.Auditing.ISecurityEventWriter>(recorded);
        var (run, _) = await StartBlockingRunAsync("automation");
        var page = Render<RunRecord>(p => p.Add(r => r.Id, run.Id));
        page.WaitForAssertion(() => Assert.Equal("running", page.Find("[data-testid=run-status]").GetAttribute("data-status")));

        // A forged circuit event: the handler runs although the button is not drawn.
        await page.InvokeAsync(page.Instance.CancelAsync);

        Assert.False(run.IsFinished);
        var refusal = Assert.Single(recorded.Events);
        Assert.Equal((403, reason, viewer, $"/runs/{run.Id}/cancel"), (refusal.StatusCode, refusal.Reason, refusal.Principal, refusal.Route));
        run.Cancel("test cleanup");
    }

    private async Task<(TrackedRun Run, BlockingTool Tool)> StartBlockingRunAsync(string owner)
    {
        var tool = new BlockingTool();
        Services.AddSingleton<IAgentTool>(tool);
        Services.AddSingleton<IChatCompletionService>(new ScriptedChatService([(BlockingTool.ToolName, new KernelArguments())]));
        await InitializeDatabaseAsync();
        var run = Services.GetRequiredService<RunManager>().Start(new Agent.Core.Runs.RunRequest("wait forever", "api", owner, null)).Run!;
        await tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (run, tool);
    }

    private sealed class RecordingSecurityEvents : Agent.Core.Auditing.ISecurityEventWriter
    {
        public System.Collections.Concurrent.ConcurrentQueue<Agent.Core.Auditing.SecurityEvent> Events { get; } = new();

        public void Record(Agent.Core.Auditing.SecurityEvent securityEvent) => Events.Enqueue(securityEvent);
    }
}
