using System.Text.Json.Nodes;
using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Core.Runs;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Agent.Tests.Policy.PolicyTestKit;

namespace Agent.Tests.Policy;

public sealed class ApprovalGateTests : IDisposable
{
    private readonly PolicyTestKit _kit = new();
    private readonly TempDirectory _directory = new("agent-gate");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly EfApprovalStore _store;
    private readonly ApprovalCoordinator _approvals;
    private readonly PolicyGate _gate;
    private readonly List<RunEventData> _events = [];

    public ApprovalGateTests()
    {
        var options = new DbContextOptionsBuilder<AuditDbContext>().UseSqlite($"Data Source={_directory.Combine("agent.db")};Pooling=False").Options;
        var factory = new PooledDbContextFactory<AuditDbContext>(options);
        using (var db = factory.CreateDbContext())
        {
            db.Database.Migrate();
        }
        _store = new EfApprovalStore(factory);
        _approvals = new ApprovalCoordinator(_store, Options.Create(new PolicyOptions { ApprovalTimeout = 120 }), _clock, NullLogger<ApprovalCoordinator>.Instance);
        _gate = new PolicyGate(Compile(ToolPermission.None, Rule("ask-writes", "write_file", "ask", reason: "writes need a look")), _store, _approvals, _clock);
    }

    public void Dispose()
    {
        _approvals.Dispose();
        _directory.Dispose();
        _kit.Dispose();
    }

    private ToolCallContext Context(string run = "run-1", string principal = "alice") =>
        new(run, principal, 7, "call-1") { Publish = data => { lock (_events) { _events.Add(data); } } };

    private Task<GateOutcome> AskWriteAsync(ToolCallContext context, CancellationToken cancellationToken = default)
    {
        var tool = _kit.Tool("write_file");
        var input = JsonNode.Parse("""{"path":"a.txt","content":"x"}""");
        return _gate.AskAsync(_gate.Evaluate(tool, input), tool, input, context, cancellationToken);
    }

    private async Task<ApprovalRecord> PendingAsync()
    {
        var pending = await Eventually.UntilAsync(async () => (await _store.ListAsync(ApprovalStatus.Pending, 10)).SingleOrDefault(),
            p => p is not null, TimeSpan.FromSeconds(2), "an approval request to be stored", TimeSpan.FromMilliseconds(10));
        return pending!;
    }

    [Fact]
    public async Task Ask_Approved_LetsTheCallRunWithTheApprovalRecorded()
    {
        var waiting = AskWriteAsync(Context());
        var pending = await PendingAsync();

        Assert.False(waiting.IsCompleted);
        Assert.Equal(("run-1", "alice", "write_file", "ask-writes", "writes need a look", 7L, "call-1"),
            (pending.RequestId, pending.Principal, pending.ToolName, pending.RuleId, pending.Reason, pending.DecisionId, pending.CallId));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(120), pending.ExpiresAt);
        await _approvals.DecideAsync(pending.Id, new ApprovalVerdict(ApprovalStatus.Approved, "operator", _clock.GetUtcNow(), Comment: "ok"));
        var outcome = await waiting;

        Assert.True(outcome.Allowed);
        Assert.Equal(("ask-writes", "ask", _gate.Policy.Version), (outcome.Policy.Rule, outcome.Policy.Effect, outcome.Policy.Version));
        Assert.Equal((pending.Id, "approved", "operator", "once", "ok"),
            (outcome.Policy.Approval!.Id, outcome.Policy.Approval.Status, outcome.Policy.Approval.DecidedBy, outcome.Policy.Approval.Scope, outcome.Policy.Approval.Comment));
        Assert.Equal([ApprovalEvents.Requested, ApprovalEvents.Decided], _events.Select(e => e.Type));
        Assert.Equal("approved", Assert.IsType<ApprovalDecidedData>(_events[1]).Status);
    }

    [Fact]
    public async Task Ask_Denied_RefusesWithTheDeciderAndComment()
    {
        var waiting = AskWriteAsync(Context());
        var pending = await PendingAsync();

        await _approvals.DecideAsync(pending.Id, new ApprovalVerdict(ApprovalStatus.Denied, "operator", _clock.GetUtcNow(), Comment: "not that file"));
        var outcome = await waiting;

        Assert.False(outcome.Allowed);
        Assert.Equal("Blocked: operator denied the call (rule 'ask-writes'): not that file", outcome.Refusal);
        Assert.Equal("denied", outcome.Policy.Approval!.Status);
    }

    [Fact]
    public async Task Ask_Unanswered_ExpiresAfterTheApprovalTimeout()
    {
        var waiting = AskWriteAsync(Context());
        var pending = await PendingAsync();

        _clock.Advance(TimeSpan.FromSeconds(119));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var outcome = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(outcome.Allowed);
        Assert.Equal(("expired", "system"), (outcome.Policy.Approval!.Status, outcome.Policy.Approval.DecidedBy));
        Assert.Contains("No one answered within 120 s (Policy:ApprovalTimeout)", outcome.Refusal);
        Assert.Equal("expired", (await _store.FindAsync(pending.Id))!.Status);
        // Too late: the expired request cannot be approved any more.
        Assert.Null(await _approvals.DecideAsync(pending.Id, new ApprovalVerdict(ApprovalStatus.Approved, "operator", _clock.GetUtcNow())));
    }

    [Fact]
    public async Task Ask_RunCancelledWhileWaiting_ClosesTheRequestAsExpired()
    {
        using var run = new CancellationTokenSource();
        var waiting = AskWriteAsync(Context(), run.Token);
        var pending = await PendingAsync();

        await run.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        var closed = await _store.FindAsync(pending.Id);
        Assert.Equal(("expired", "system"), (closed!.Status, closed.DecidedBy));
        Assert.Contains("run ended", closed.Comment);
    }

    [Theory]
    [InlineData(ApprovalScope.Run, "run-1", "bob", true)]
    [InlineData(ApprovalScope.Run, "run-2", "alice", false)]
    [InlineData(ApprovalScope.Key, "run-2", "alice", true)]
    [InlineData(ApprovalScope.Key, "run-2", "bob", false)]
    [InlineData(ApprovalScope.Everyone, "run-3", "carol", true)]
    [InlineData(ApprovalScope.Once, "run-1", "alice", false)]
    public async Task Approval_WithScope_AllowsLaterMatchingCallsWithoutAsking(ApprovalScope scope, string laterRun, string laterKey, bool covered)
    {
        var first = AskWriteAsync(Context("run-1", "alice"));
        var pending = await PendingAsync();
        var approved = await _approvals.DecideAsync(pending.Id,
            new ApprovalVerdict(ApprovalStatus.Approved, "operator", _clock.GetUtcNow(), scope, null, _clock.GetUtcNow().AddMinutes(30)));
        await first;

        var later = AskWriteAsync(Context(laterRun, laterKey));
        if (covered)
        {
            var outcome = await later.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(outcome.Allowed);
            Assert.Equal((approved!.GrantId, scope.ToWire(), "operator"), (outcome.Policy.Grant!.Id, outcome.Policy.Grant.Scope, outcome.Policy.Grant.GrantedBy));
            Assert.Null(outcome.Policy.Approval);
        }
        else
        {
            var asked = await PendingAsync();
            Assert.NotEqual(pending.Id, asked.Id);
            await _approvals.DecideAsync(asked.Id, new ApprovalVerdict(ApprovalStatus.Denied, "operator", _clock.GetUtcNow()));
            Assert.False((await later).Allowed);
        }
    }

    [Fact]
    public async Task Grant_AfterExpiryOrRevocation_AsksAgain()
    {
        var first = AskWriteAsync(Context());
        var pending = await PendingAsync();
        var approved = await _approvals.DecideAsync(pending.Id,
            new ApprovalVerdict(ApprovalStatus.Approved, "operator", _clock.GetUtcNow(), ApprovalScope.Everyone, null, _clock.GetUtcNow().AddMinutes(5)));
        await first;

        _clock.Advance(TimeSpan.FromMinutes(5));
        var afterExpiry = AskWriteAsync(Context());
        var askedAgain = await PendingAsync();
        await _approvals.DecideAsync(askedAgain.Id,
            new ApprovalVerdict(ApprovalStatus.Approved, "operator", _clock.GetUtcNow(), ApprovalScope.Everyone, null, _clock.GetUtcNow().AddMinutes(5)));
        Assert.Null((await afterExpiry).Policy.Grant);

        var renewed = (await _store.FindAsync(askedAgain.Id))!.GrantId!;
        Assert.NotNull((await AskWriteAsync(Context())).Policy.Grant);
        await _store.RevokeGrantAsync(renewed, "admin", _clock.GetUtcNow());
        var afterRevoke = AskWriteAsync(Context());
        var third = await PendingAsync();
        Assert.NotEqual(approved!.Id, third.Id);
        await _approvals.DecideAsync(third.Id, new ApprovalVerdict(ApprovalStatus.Denied, "operator", _clock.GetUtcNow()));
        Assert.False((await afterRevoke).Allowed);
    }

    [Fact]
    public async Task Ask_OutsideARun_IsRefusedWithoutWaiting()
    {
        var tool = _kit.Tool("write_file");
        var decision = _gate.Evaluate(tool, JsonNode.Parse("""{"path":"a","content":""}"""));

        var outcome = await _gate.AskAsync(decision, tool, null, null, CancellationToken.None);

        Assert.False(outcome.Allowed);
        Assert.Empty(await _store.ListAsync(null, 10));
    }
}
