using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Core.Runs;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Policy;

/// <summary>
/// The start-up side of durable approvals on the core alone: which runs a restart resumes and which it closes, and how
/// a resumed run ends when its rows fit, when they do not, and when its request is overdue. The audit rows are written
/// by a first instance through the real writer; a second instance on the same database starts up over them.
/// </summary>
public sealed class RunResumptionTests : IDisposable
{
    private const string Arguments = """{"path":"notes.txt","content":"hello"}""";

    private readonly TempDirectory _root = new("agent-resume");
    private readonly Dictionary<string, string?> _settings;

    public RunResumptionTests()
    {
        _settings = new Dictionary<string, string?>
        {
            ["Agent:WorkspaceRoot"] = _root.Combine("workspace"),
            ["Agent:DatabasePath"] = _root.Combine("data", "agent.db"),
            ["Policy:Rules:0:Id"] = "ask-writes",
            ["Policy:Rules:0:Tool"] = "write_file",
            ["Policy:Rules:0:Effect"] = "ask",
        };
    }

    public void Dispose() => _root.Dispose();

    private Task<List<Dictionary<string, object?>>> QueryAsync(string sql) => AuditDatabase.QueryAsync(_root.Combine("data", "agent.db"), sql);

    [Fact]
    public async Task StartupSweep_ClaimsExactlyTheRunPausedOnAPendingApproval_AndClosesTheOtherAsInterrupted()
    {
        await WriteStoppedRunsAsync(decisionOffset: 0, expiresIn: TimeSpan.FromMinutes(10));

        await using var second = await AgentHarness.StartAsync(_settings);

        var rows = (await QueryAsync("SELECT id, status, error FROM requests ORDER BY id")).ToDictionary(r => (string)r["id"]!);
        Assert.Equal(("running", null), ((string?)rows["paused"]["status"], (string?)rows["paused"]["error"]));
        Assert.Equal(("error", "interrupted"), ((string?)rows["stuck"]["status"], (string?)rows["stuck"]["error"]));
        var ticket = Assert.Single(second.Services.GetRequiredService<ResumableRuns>().Claimed);
        Assert.Equal(new ResumeTicket("paused", "approval-1"), ticket);

        var resumed = ResumeAsync(second, ticket);
        var approvals = second.Services.GetRequiredService<ApprovalCoordinator>();
        await Eventually.UntilAsync(() => approvals.Waiting.Contains("approval-1"), TimeSpan.FromSeconds(6), "the resumed run to wait on approval-1", TimeSpan.FromMilliseconds(20));
        await approvals.DecideAsync("approval-1", new ApprovalVerdict(ApprovalStatus.Approved, "operator", DateTimeOffset.UtcNow));
        var result = await resumed;

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(_root.Combine("workspace"), "notes.txt")));
        Assert.Equal(["run_started", "decision", "tool_started", "approval_requested", "approval_decided", "tool_completed", "decision", "run_finished"],
            second.Events.TypesFor("paused"));
        var executions = await QueryAsync("SELECT * FROM tool_executions WHERE request_id = 'paused'");
        Assert.Equal("success", Assert.Single(executions)["status"]);
        Assert.Contains("\"approval\":{\"id\":\"approval-1\",\"status\":\"approved\"", (string)executions[0]["policy"]!);
        Assert.Equal("success", (await QueryAsync("SELECT * FROM requests WHERE id = 'paused'"))[0]["status"]);
        Assert.True((await second.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync(CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task Resume_ApprovalNotForTheLastTurn_EndsErrorWithTheReason_AndClosesTheRequest()
    {
        await WriteStoppedRunsAsync(decisionOffset: 999, expiresIn: TimeSpan.FromMinutes(10));
        await using var second = await AgentHarness.StartAsync(_settings);

        var result = await ResumeAsync(second, Assert.Single(second.Services.GetRequiredService<ResumableRuns>().Claimed));

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.StartsWith("Could not resume the run after a restart: its approval request 'approval-1' is not for the run's last model turn", result.Error);
        Assert.Equal(("error", result.Error), ((string?)(await QueryAsync("SELECT * FROM requests WHERE id = 'paused'"))[0]["status"], (string?)(await QueryAsync("SELECT * FROM requests WHERE id = 'paused'"))[0]["error"]));
        var approval = await second.Services.GetRequiredService<IApprovalStore>().FindAsync("approval-1");
        Assert.Equal((ApprovalStatus.Expired, "system", result.Error), (approval!.Status, approval.DecidedBy, approval.Comment));
        Assert.Empty(await QueryAsync("SELECT * FROM tool_executions WHERE request_id = 'paused'"));
        Assert.False(File.Exists(Path.Combine(_root.Combine("workspace"), "notes.txt")));
    }

    [Fact]
    public async Task Resume_AnsweredAfterTheRestartBeforeTheRunWaitsAgain_UsesThatAnswer()
    {
        await WriteStoppedRunsAsync(decisionOffset: 0, expiresIn: TimeSpan.FromMinutes(10));
        await using var second = await AgentHarness.StartAsync(_settings);
        var ticket = Assert.Single(second.Services.GetRequiredService<ResumableRuns>().Claimed);
        // An operator quicker than the resumption: the request is answered while no run waits on it yet.
        await second.Services.GetRequiredService<ApprovalCoordinator>().DecideAsync("approval-1",
            new ApprovalVerdict(ApprovalStatus.Approved, "operator", DateTimeOffset.UtcNow, Comment: "early"));

        var result = await ResumeAsync(second, ticket);

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal(("approved", "early"), (Assert.Single(result.ToolExecutions).Policy!.Approval!.Status, result.ToolExecutions[0].Policy!.Approval!.Comment));
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(_root.Combine("workspace"), "notes.txt")));
    }

    [Fact]
    public async Task Resume_RequestOverdueAtRestart_ExpiresAtOnce_CallIsBlockedAndTheModelTold()
    {
        await WriteStoppedRunsAsync(decisionOffset: 0, expiresIn: TimeSpan.FromMinutes(-1));
        await using var second = await AgentHarness.StartAsync(_settings);

        var result = await ResumeAsync(second, Assert.Single(second.Services.GetRequiredService<ResumableRuns>().Claimed));

        Assert.Equal(RunStatus.ToolError, result.Status);
        var execution = Assert.Single(result.ToolExecutions);
        Assert.Equal(("write_file", Agent.Core.Tools.ToolExecutionStatus.Blocked), (execution.ToolName, execution.Status));
        Assert.Contains("not approved in time", execution.Error);
        Assert.Contains("did not succeed (blocked)", result.Output);
        Assert.Equal(ApprovalStatus.Expired, (await second.Services.GetRequiredService<IApprovalStore>().FindAsync("approval-1"))!.Status);
    }

    /// <summary>
    /// As a stop leaves them: run "paused" asked about its write_file call (decision + pending approval, whose decision
    /// id is off by <paramref name="decisionOffset"/>), run "stuck" was between steps. Neither completed.
    /// </summary>
    private async Task WriteStoppedRunsAsync(long decisionOffset, TimeSpan expiresIn)
    {
        await using var first = await AgentHarness.StartAsync(_settings);
        var audit = first.Services.GetRequiredService<IAuditWriter>();
        var now = DateTimeOffset.UtcNow;
        foreach (var id in new[] { "paused", "stuck" })
        {
            await audit.StartRunAsync(new RunRecord
            {
                Id = id,
                Input = "write 'hello' to notes.txt",
                Status = RunStatus.Running,
                Source = "api",
                Principal = "tests",
                CreatedAt = now,
            });
        }
        var decision = await audit.RecordDecisionAsync(new DecisionRecord
        {
            RequestId = "paused",
            Step = 1,
            Reasoning = "Plan: write_file.",
            SelectedTools = $$"""[{"id":"call_1","name":"write_file","arguments":{{Arguments}}}]""",
            Model = "local-planner",
            CreatedAt = now,
        });
        await first.Services.GetRequiredService<IApprovalStore>().AddAsync(new ApprovalRecord
        {
            Id = "approval-1",
            RequestId = "paused",
            DecisionId = decision + decisionOffset,
            CallId = "call_1",
            ToolName = "write_file",
            Input = Arguments,
            RuleId = "ask-writes",
            PolicyVersion = first.Services.GetRequiredService<EffectivePolicy>().Version,
            Principal = "tests",
            Status = ApprovalStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + expiresIn,
        });
    }

    private static async Task<RunResult> ResumeAsync(AgentHarness harness, ResumeTicket ticket)
    {
        var run = await harness.Services.GetRequiredService<RunResumeLoader>().LoadAsync(ticket, CancellationToken.None);
        return await Task.Run(() => harness.Runner.ResumeAsync(run!, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
