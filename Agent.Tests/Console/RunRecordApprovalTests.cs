using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Agent.Web.Approvals;
using Agent.Web.Components.Approvals;
using Agent.Web.Runs;
using Agent.Web.Security;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using RunRecord = Agent.Web.Components.Pages.RunRecord;

namespace Agent.Tests.Console;

/// <summary>The run page of a real run held by an <c>ask</c> rule: status, buttons by role, and answering from the trace.</summary>
public sealed class RunRecordApprovalTests : ConsoleTestContext
{
    /// <summary>Runs go through the real runner and database; a busy machine needs more than bUnit's default second.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public RunRecordApprovalTests()
        : base(new Dictionary<string, string?>
        {
            ["Policy:Rules:0:Id"] = "ask-writes",
            ["Policy:Rules:0:Tool"] = "write_file",
            ["Policy:Rules:0:Effect"] = "ask",
            ["Policy:Rules:0:Reason"] = "writes need a look",
        }) => Services.AddSingleton<ApprovalDecisions>();

    [Fact]
    public async Task RunRecord_WaitingRun_AdminApprovesInTheTrace_StepRunsAndRunSucceedsWithThePolicyRecorded()
    {
        AddAuthorization().SetAuthorized("root").SetRoles("admin");
        var (run, approval) = await StartWaitingRunAsync();
        var page = Render<RunRecord>(p => p.Add(r => r.Id, run.Id));
        page.WaitForAssertion(() =>
        {
            Assert.Equal("awaiting_approval", page.Find("[data-testid=run-status]").GetAttribute("data-status"));
            Assert.Equal("waiting", page.Find("[data-testid=timeline-tool]").GetAttribute("data-state"));
            Assert.Equal(approval.Id, page.Find("[data-testid=approval-request]").GetAttribute("data-approval-id"));
        }, Timeout);
        Assert.False(File.Exists(Path.Combine(WorkspacePath, "notes.txt")));

        page.Find("[data-testid=approve]").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("success", page.Find("[data-testid=run-status]").GetAttribute("data-status"));
            Assert.Equal("success", page.Find("[data-testid=timeline-tool]").GetAttribute("data-status"));
            var row = page.Find("[data-testid=run-policy-row]");
            Assert.Equal(("ask-writes", "ask"), (row.GetAttribute("data-rule"), row.GetAttribute("data-effect")));
            Assert.Contains("approved by root", page.Find("[data-testid=run-policy-approval]").TextContent);
            Assert.Contains("approved by root", page.Find("[data-testid=tool-policy]").TextContent);
        }, Timeout);
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(WorkspacePath, "notes.txt")));
        var stored = await Services.GetRequiredService<IApprovalStore>().FindAsync(approval.Id);
        Assert.Equal((ApprovalStatus.Approved, "root"), (stored!.Status, stored.DecidedBy));
    }

    [Theory]
    [InlineData("root", "admin", true)]
    [InlineData("shift-lead", KeyRoleNames.Operator, true)]
    [InlineData("automation", "runner", false)]
    [InlineData("auditor-one", "auditor", false)]
    public async Task RunRecord_WaitingStep_ApproveAndDenyShownOnlyToAdminsAndOperators(string viewer, string role, bool shown)
    {
        AddAuthorization().SetAuthorized(viewer).SetRoles(role);
        var (run, _) = await StartWaitingRunAsync();

        var page = Render<RunRecord>(p => p.Add(r => r.Id, run.Id));

        page.WaitForAssertion(() => Assert.Equal("awaiting_approval", page.Find("[data-testid=run-status]").GetAttribute("data-status")), Timeout);
        Assert.Equal("ask-writes", page.Find("[data-testid=approval-rule]").TextContent);
        Assert.Equal(shown, page.FindAll("[data-testid=approve]").Count == 1);
        Assert.Equal(shown, page.FindAll("[data-testid=deny]").Count == 1);
        Assert.Equal(!shown, page.FindAll("[data-testid=approval-view-only]").Count == 1);
        run.Cancel("test cleanup");
    }

    [Fact]
    public async Task ApprovalActions_ApproveInvokedByAnAuditor_IsRefusedRecordedAndLeavesTheCallWaiting()
    {
        AddAuthorization().SetAuthorized("auditor-one").SetRoles("auditor");
        var recorded = new RecordingSecurityEvents();
        Services.AddSingleton<ISecurityEventWriter>(recorded);
        var (run, approval) = await StartWaitingRunAsync();

        // A forged circuit event: the auditor's page never draws these buttons, but the handler must refuse anyway.
        var actions = Render<ApprovalActions>(p => p.Add(a => a.ApprovalId, approval.Id));
        Assert.Empty(actions.FindAll("[data-testid=approve]"));
        await actions.InvokeAsync(() => actions.Instance.DecideAsync(approve: true));

        actions.Render();
        Assert.Contains("Only admins and operators", actions.Find("[data-testid=approval-problem]").TextContent);
        var refusal = Assert.Single(recorded.Events);
        Assert.Equal((403, "role_forbidden", "auditor-one", $"/approvals/{approval.Id}/approve"), (refusal.StatusCode, refusal.Reason, refusal.Principal, refusal.Route));
        Assert.Equal(ApprovalStatus.Pending, (await Services.GetRequiredService<IApprovalStore>().FindAsync(approval.Id))!.Status);
        Assert.Equal(TrackedRun.AwaitingApproval, run.Status);
        run.Cancel("test cleanup");
    }

    [Fact]
    public async Task ApprovalActions_OperatorWhoseOwnKeyAsked_MayDenyButNotApprove_AndAForgedApproveIsRefused()
    {
        // Separation of duties, as in the API: the operator key "automation" started the run that asks.
        AddAuthorization().SetAuthorized("automation").SetRoles(KeyRoleNames.Operator);
        var recorded = new RecordingSecurityEvents();
        Services.AddSingleton<ISecurityEventWriter>(recorded);
        var (run, approval) = await StartWaitingRunAsync();

        var page = Render<RunRecord>(p => p.Add(r => r.Id, run.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=approval-own-request]")), Timeout);
        Assert.Empty(page.FindAll("[data-testid=approve]"));
        Assert.Single(page.FindAll("[data-testid=deny]"));

        var actions = page.FindComponent<ApprovalActions>();
        // A forged circuit event: the button is not drawn, the handler runs anyway.
        await actions.InvokeAsync(() => actions.Instance.DecideAsync(approve: true));

        var refusal = Assert.Single(recorded.Events);
        Assert.Equal((403, SecurityEventReasons.OwnRequest, "automation"), (refusal.StatusCode, refusal.Reason, refusal.Principal));
        Assert.Equal(ApprovalStatus.Pending, (await Services.GetRequiredService<IApprovalStore>().FindAsync(approval.Id))!.Status);

        page.Find("[data-testid=deny]").Click();

        page.WaitForAssertion(() => Assert.Equal("blocked", page.Find("[data-testid=timeline-tool]").GetAttribute("data-status")), Timeout);
        Assert.Equal((ApprovalStatus.Denied, "automation"), ((await Services.GetRequiredService<IApprovalStore>().FindAsync(approval.Id))!.Status,
            (await Services.GetRequiredService<IApprovalStore>().FindAsync(approval.Id))!.DecidedBy));
    }

    [Fact]
    public async Task RunRecord_WaitingRunNotFollowedHere_ShowsTheWaitingCallFromTheStoreAndAnswersIt()
    {
        AddAuthorization().SetAuthorized("root").SetRoles("admin");
        await InitializeDatabaseAsync();
        // A run this process does not follow (as after a restart): its request row is open and its call is stored as pending.
        var audit = Services.GetRequiredService<IAuditWriter>();
        var runId = Guid.NewGuid().ToString();
        await audit.StartRunAsync(new Agent.Core.Auditing.RunRecord { Id = runId, Input = "write hello", Status = RunStatus.Running, Source = "api", CreatedAt = DateTimeOffset.UtcNow });
        var store = Services.GetRequiredService<IApprovalStore>();
        await store.AddAsync(new ApprovalRecord
        {
            Id = "a-stored",
            RequestId = runId,
            CallId = "call_1",
            ToolName = "write_file",
            Input = """{"path":"notes.txt","content":"hello"}""",
            RuleId = "ask-writes",
            PolicyVersion = "0123456789abcdef",
            Reason = "writes need a look",
            Status = ApprovalStatus.Pending,
            CreatedAt = DateTimeOffset.UtcNow,
            ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10),
        });

        // The audit commits in batches: the page reads the run once it is committed.
        await Eventually.UntilAsync(async () => await Services.GetRequiredService<AuditQueries>().GetRunAsync(runId) is not null, Timeout, $"run {runId} committed");

        var page = Render<RunRecord>(p => p.Add(r => r.Id, runId));
        page.WaitForAssertion(() => Assert.Equal("a-stored", page.Find("[data-testid=approval-request]").GetAttribute("data-approval-id")), Timeout);
        Assert.Equal("awaiting_approval", page.Find("[data-testid=run-status]").GetAttribute("data-status"));

        page.Find("[data-testid=deny]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=approval-request]")), Timeout);
        Assert.Equal(ApprovalStatus.Denied, (await store.FindAsync("a-stored"))!.Status);
    }

    private async Task<(TrackedRun Run, ApprovalRecord Approval)> StartWaitingRunAsync()
    {
        await InitializeDatabaseAsync();
        var run = Services.GetRequiredService<RunManager>().Start(new RunRequest("write 'hello' to notes.txt", "api", "automation", null)).Run!;
        var store = Services.GetRequiredService<IApprovalStore>();
        var pending = await Eventually.UntilAsync(async () => (await store.ListAsync(ApprovalStatus.Pending, 10)).SingleOrDefault(a => a.RequestId == run.Id),
            a => a is not null, Timeout, $"run {run.Id} asks for approval");
        return (run, pending!);
    }

    private sealed class RecordingSecurityEvents : ISecurityEventWriter
    {
        public System.Collections.Concurrent.ConcurrentQueue<SecurityEvent> Events { get; } = new();

        public void Record(SecurityEvent securityEvent) => Events.Enqueue(securityEvent);
    }
}
