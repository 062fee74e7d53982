using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Agent.Tests.Policy;

public sealed class ApprovalStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new("agent-approvals");
    private readonly EfApprovalStore _store;

    public ApprovalStoreTests()
    {
        var options = new DbContextOptionsBuilder<AuditDbContext>().UseSqlite($"Data Source={_directory.Combine("agent.db")};Pooling=False").Options;
        var factory = new PooledDbContextFactory<AuditDbContext>(options);
        using (var db = factory.CreateDbContext())
        {
            db.Database.Migrate();
        }
        _store = new EfApprovalStore(factory);
    }

    public void Dispose() => _directory.Dispose();

    private async Task<ApprovalRecord> PendingAsync(string requestId = "run-1", string principal = "alice", string tool = "write_file", string rule = "ask-writes")
    {
        var approval = new ApprovalRecord
        {
            Id = Guid.NewGuid().ToString(),
            RequestId = requestId,
            ToolName = tool,
            Input = """{"path":"a.txt","content":"x"}""",
            RuleId = rule,
            PolicyVersion = "0123456789abcdef",
            Principal = principal,
            Status = ApprovalStatus.Pending,
            CreatedAt = Now,
            ExpiresAt = Now.AddMinutes(10),
        };
        await _store.AddAsync(approval);
        return approval;
    }

    private static ApprovalVerdict Approve(ApprovalScope scope, int minutes = 30) =>
        new(ApprovalStatus.Approved, "operator", Now.AddMinutes(1), scope, "looks fine", Now.AddMinutes(1 + minutes));

    [Fact]
    public async Task Decide_Pending_RecordsWhoWhenScopeAndComment()
    {
        var pending = await PendingAsync();

        var decided = await _store.DecideAsync(pending.Id, Approve(ApprovalScope.Once));

        var stored = await _store.FindAsync(pending.Id);
        Assert.NotNull(decided);
        Assert.Equal((ApprovalStatus.Approved, "operator", Now.AddMinutes(1), "once", "looks fine", null),
            (stored!.Status, stored.DecidedBy, stored.DecidedAt, stored.Scope, stored.Comment, stored.GrantId));
        Assert.Empty(await _store.ListGrantsAsync(includeInactive: true, Now, 10));
    }

    [Fact]
    public async Task Decide_Twice_OnlyTheFirstDecisionCounts()
    {
        var pending = await PendingAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _store.DecideAsync(pending.Id,
            i % 2 == 0 ? Approve(ApprovalScope.Everyone) : new ApprovalVerdict(ApprovalStatus.Denied, $"op{i}", Now, Comment: "no"))));

        Assert.Single(results, r => r is not null);
        var winner = results.Single(r => r is not null)!;
        Assert.Equal(winner.Status, (await _store.FindAsync(pending.Id))!.Status);
        Assert.Equal(winner.Status == ApprovalStatus.Approved ? 1 : 0, (await _store.ListGrantsAsync(true, Now, 10)).Count);
        Assert.Null(await _store.DecideAsync("no-such-id", Approve(ApprovalScope.Once)));
    }

    [Fact]
    public async Task Deny_WithWideScope_CreatesNoGrant()
    {
        var pending = await PendingAsync();

        var denied = await _store.DecideAsync(pending.Id, new ApprovalVerdict(ApprovalStatus.Denied, "operator", Now, ApprovalScope.Everyone, "no"));

        Assert.Equal((ApprovalStatus.Denied, null, null), (denied!.Status, denied.Scope, denied.GrantId));
        Assert.Empty(await _store.ListGrantsAsync(true, Now, 10));
    }

    [Fact]
    public async Task RunGrant_CoversOnlyTheSameRunToolAndRule()
    {
        var pending = await PendingAsync(requestId: "run-1", principal: "alice");
        var approved = await _store.DecideAsync(pending.Id, Approve(ApprovalScope.Run));

        var grant = await _store.FindCoveringGrantAsync("write_file", "ask-writes", "run-1", "bob", Now.AddMinutes(2));

        Assert.Equal(approved!.GrantId, grant?.Id);
        Assert.Equal(("run", "run-1", null), (grant!.Scope, grant.RequestId, grant.Principal));
        Assert.Null(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "run-2", "alice", Now.AddMinutes(2)));
        Assert.Null(await _store.FindCoveringGrantAsync("read_file", "ask-writes", "run-1", "alice", Now.AddMinutes(2)));
        Assert.Null(await _store.FindCoveringGrantAsync("write_file", "other-rule", "run-1", "alice", Now.AddMinutes(2)));
    }

    [Fact]
    public async Task KeyGrant_CoversOnlyTheRequestingKey()
    {
        var pending = await PendingAsync(requestId: "run-1", principal: "alice");
        await _store.DecideAsync(pending.Id, Approve(ApprovalScope.Key));

        Assert.NotNull(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "run-9", "alice", Now.AddMinutes(2)));
        Assert.Null(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "run-9", "bob", Now.AddMinutes(2)));
        Assert.Null(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "run-9", null, Now.AddMinutes(2)));
    }

    [Fact]
    public async Task EveryoneGrant_CoversEveryKeyAndRun()
    {
        var pending = await PendingAsync();
        await _store.DecideAsync(pending.Id, Approve(ApprovalScope.Everyone));

        Assert.NotNull(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "run-9", "bob", Now.AddMinutes(2)));
        Assert.NotNull(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "run-10", null, Now.AddMinutes(2)));
    }

    [Fact]
    public async Task Grant_Expires_AtItsExpiry()
    {
        var pending = await PendingAsync();
        await _store.DecideAsync(pending.Id, Approve(ApprovalScope.Everyone, minutes: 30));
        var expiresAt = Now.AddMinutes(31);

        Assert.NotNull(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "r", "a", expiresAt.AddTicks(-1)));
        Assert.Null(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "r", "a", expiresAt));
        Assert.Empty(await _store.ListGrantsAsync(includeInactive: false, expiresAt, 10));
        Assert.Single(await _store.ListGrantsAsync(includeInactive: true, expiresAt, 10));
    }

    [Fact]
    public async Task Grant_Revoked_NoLongerCoversAndCannotBeRevokedTwice()
    {
        var pending = await PendingAsync();
        var approved = await _store.DecideAsync(pending.Id, Approve(ApprovalScope.Everyone));

        var revoked = await _store.RevokeGrantAsync(approved!.GrantId!, "admin", Now.AddMinutes(5));

        Assert.Equal(("admin", Now.AddMinutes(5)), (revoked!.RevokedBy, revoked.RevokedAt));
        Assert.Null(await _store.FindCoveringGrantAsync("write_file", "ask-writes", "r", "a", Now.AddMinutes(6)));
        Assert.Null(await _store.RevokeGrantAsync(approved.GrantId!, "admin", Now.AddMinutes(7)));
        Assert.Null(await _store.RevokeGrantAsync("no-such-grant", "admin", Now.AddMinutes(7)));
        Assert.Empty(await _store.ListGrantsAsync(includeInactive: false, Now.AddMinutes(6), 10));
    }

    [Fact]
    public async Task List_FiltersByStatus_NewestFirst()
    {
        var first = await PendingAsync();
        var second = await PendingAsync();
        await _store.DecideAsync(first.Id, new ApprovalVerdict(ApprovalStatus.Expired, "system", Now.AddMinutes(10), Comment: "expired"));

        Assert.Equal([second.Id], (await _store.ListAsync(ApprovalStatus.Pending, 10)).Select(a => a.Id));
        Assert.Equal([first.Id], (await _store.ListAsync(ApprovalStatus.Expired, 10)).Select(a => a.Id));
        Assert.Equal(2, (await _store.ListAsync(null, 10)).Count);
    }
}
