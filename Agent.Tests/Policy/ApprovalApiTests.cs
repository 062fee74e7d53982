using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Policy;

/// <summary>A run that asks, answered through the API; every answer checked in the audit and the chain.</summary>
public sealed class ApprovalApiTests
{
    private const string RunnerKey = "runner-key-0123456789abcdef";

    private static AgentApplication App(string timeoutSeconds = "600", TimeProvider? time = null) => new(new Dictionary<string, string?>
    {
        ["Policy:Rules:0:Id"] = "ask-writes",
        ["Policy:Rules:0:Tool"] = "write_file",
        ["Policy:Rules:0:Effect"] = "ask",
        ["Policy:Rules:0:Reason"] = "writes need a look",
        ["Policy:ApprovalTimeout"] = timeoutSeconds,
        ["Agent:ApiKeys:runner"] = RunnerKey,
        ["Agent:KeyRoles:runner"] = "runner",
        ["Agent:KeyRoles:" + AgentApplication.ApiKeyName] = "admin",
        ["Agent:RateLimitEnabled"] = "false",
    })
    {
        ConfigureServices = time is { } clock ? services => services.AddSingleton(clock) : null,
    };

    private static async Task<(string RunId, JsonElement Approval)> StartAskingRunAsync(AgentApplication app, HttpClient admin)
    {
        var runner = app.CreateClient();
        runner.DefaultRequestHeaders.Add("X-API-Key", RunnerKey);
        var started = await runner.PostAsJsonAsync("/agent/runs", new { input = "write 'hello' to notes.txt" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_id").GetString()!;
        var pending = await Eventually.UntilAsync(async () => (await admin.GetJsonAsync("/approvals?status=pending")).RootElement.Clone(),
            p => p.GetArrayLength() > 0, TimeSpan.FromSeconds(20), "the run to ask");
        return (runId, pending[0]);
    }

    private static async Task<JsonElement> FinishedRunAsync(HttpClient client, string runId)
    {
        return await Eventually.UntilAsync(async () => (await client.GetJsonAsync($"/agent/runs/{runId}")).RootElement.Clone(),
            run => run.GetProperty("status").GetString() is not ("running" or "awaiting_approval"), TimeSpan.FromSeconds(20), "the run to finish");
    }

    private static async Task<JsonElement> StoredPolicyAsync(AgentApplication app, string runId)
    {
        var rows = await app.QueryAsync($"SELECT policy FROM tool_executions WHERE request_id = '{runId}'");
        return JsonDocument.Parse((string)Assert.Single(rows)["policy"]!).RootElement.Clone();
    }

    [Fact]
    public async Task Ask_ApprovedThroughTheApi_RunsTheToolAndRecordsTheApprovalInTheChain()
    {
        await using var app = App();
        var admin = app.CreateAuthenticatedClient();
        var (runId, approval) = await StartAskingRunAsync(app, admin);

        Assert.Equal(("ask-writes", "write_file", "runner", "pending"), (approval.GetProperty("rule_id").GetString(),
            approval.GetProperty("tool_name").GetString(), approval.GetProperty("principal").GetString(), approval.GetProperty("status").GetString()));
        Assert.Equal(runId, approval.GetProperty("request_id").GetString());
        Assert.Equal("notes.txt", approval.GetProperty("input").GetProperty("path").GetString());
        Assert.Equal("awaiting_approval", (await admin.GetJsonAsync($"/agent/runs/{runId}")).RootElement.GetProperty("status").GetString());
        Assert.False(File.Exists(Path.Combine(app.WorkspacePath, "notes.txt")));

        var id = approval.GetProperty("id").GetString();
        var approved = await admin.PostAsJsonAsync($"/approvals/{id}/approve", new { scope = "once", comment = "fine" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var run = await FinishedRunAsync(admin, runId);

        Assert.Equal("success", run.GetProperty("status").GetString());
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(app.WorkspacePath, "notes.txt")));
        var policy = await StoredPolicyAsync(app, runId);
        Assert.Equal(("ask-writes", "ask"), (policy.GetProperty("rule").GetString(), policy.GetProperty("effect").GetString()));
        Assert.Equal((id, "approved", AgentApplication.ApiKeyName, "once", "fine"), (policy.GetProperty("approval").GetProperty("id").GetString(),
            policy.GetProperty("approval").GetProperty("status").GetString(), policy.GetProperty("approval").GetProperty("decided_by").GetString(),
            policy.GetProperty("approval").GetProperty("scope").GetString(), policy.GetProperty("approval").GetProperty("comment").GetString()));
        var returned = run.GetProperty("result").GetProperty("tool_executions")[0].GetProperty("policy");
        Assert.Equal("ask-writes", returned.GetProperty("rule").GetString());
        Assert.True((await app.VerifyAsync()).IsValid);
        // Editing the recorded approval is tampering the chain reports.
        await app.TamperAsync($"UPDATE tool_executions SET policy = replace(policy, 'fine', 'forged') WHERE request_id = '{runId}'");
        Assert.False((await app.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Ask_DeniedThroughTheApi_EndsBlockedWithTheReasonAndIsRecorded()
    {
        await using var app = App();
        var admin = app.CreateAuthenticatedClient();
        var (runId, approval) = await StartAskingRunAsync(app, admin);
        var id = approval.GetProperty("id").GetString();

        var denied = await admin.PostAsJsonAsync($"/approvals/{id}/deny", new { comment = "not today" });
        var again = await admin.PostAsJsonAsync($"/approvals/{id}/approve", new { scope = "everyone" });
        var run = await FinishedRunAsync(admin, runId);

        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("tool_error", run.GetProperty("status").GetString());
        var execution = run.GetProperty("result").GetProperty("tool_executions")[0];
        Assert.Equal("blocked", execution.GetProperty("status").GetString());
        Assert.Contains("not today", execution.GetProperty("error").GetString());
        Assert.False(File.Exists(Path.Combine(app.WorkspacePath, "notes.txt")));
        var policy = await StoredPolicyAsync(app, runId);
        Assert.Equal(("denied", "not today"), (policy.GetProperty("approval").GetProperty("status").GetString(),
            policy.GetProperty("approval").GetProperty("comment").GetString()));
        Assert.Empty((await admin.GetJsonAsync("/grants")).RootElement.EnumerateArray());
        Assert.True((await app.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Ask_Unanswered_ExpiresAndEndsBlocked()
    {
        var time = FakeTimeExtensions.StartingNow();
        await using var app = App(timeoutSeconds: "120", time);
        var admin = app.CreateAuthenticatedClient();
        var (runId, approval) = await StartAskingRunAsync(app, admin);
        var approvalUrl = $"/approvals/{approval.GetProperty("id").GetString()}";

        time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal("pending", (await admin.GetJsonAsync(approvalUrl)).RootElement.GetProperty("status").GetString());
        time.Advance(TimeSpan.FromSeconds(1));
        var run = await FinishedRunAsync(admin, runId);

        var execution = run.GetProperty("result").GetProperty("tool_executions")[0];
        Assert.Equal("blocked", execution.GetProperty("status").GetString());
        Assert.Contains("Policy:ApprovalTimeout", execution.GetProperty("error").GetString());
        var stored = (await admin.GetJsonAsync(approvalUrl)).RootElement;
        Assert.Equal(("expired", "system"), (stored.GetProperty("status").GetString(), stored.GetProperty("decided_by").GetString()));
        Assert.Equal("expired", (await StoredPolicyAsync(app, runId)).GetProperty("approval").GetProperty("status").GetString());
        Assert.True((await app.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Grant_KeyScope_LetsTheKeysNextCallThroughWithTheGrantRecordedAndExported_UntilItExpires()
    {
        var time = FakeTimeExtensions.StartingNow();
        await using var app = App(time: time);
        var admin = app.CreateAuthenticatedClient();
        var runner = app.CreateClient();
        runner.DefaultRequestHeaders.Add("X-API-Key", RunnerKey);
        var (firstRun, approval) = await StartAskingRunAsync(app, admin);
        var approvalId = approval.GetProperty("id").GetString();
        var approved = await admin.PostAsJsonAsync($"/approvals/{approvalId}/approve", new { scope = "key", expires_in_minutes = 5, comment = "today only" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("success", (await FinishedRunAsync(admin, firstRun)).GetProperty("status").GetString());
        var grant = Assert.Single((await admin.GetJsonAsync("/grants")).RootElement.EnumerateArray());
        var grantId = grant.GetProperty("id").GetString();
        Assert.Equal(("key", "runner", "write_file", "ask-writes", approvalId), (grant.GetProperty("scope").GetString(), grant.GetProperty("principal").GetString(),
            grant.GetProperty("tool_name").GetString(), grant.GetProperty("rule_id").GetString(), grant.GetProperty("approval_id").GetString()));

        // The same key's next write runs without asking anyone, and the execution names the grant that let it through.
        var second = await runner.PostAsJsonAsync("/agent/runs", new { input = "write 'again' to other.txt" });
        var secondRun = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_id").GetString()!;
        Assert.Equal("success", (await FinishedRunAsync(admin, secondRun)).GetProperty("status").GetString());
        Assert.Equal("again", await File.ReadAllTextAsync(Path.Combine(app.WorkspacePath, "other.txt")));
        Assert.Single((await admin.GetJsonAsync("/approvals")).RootElement.EnumerateArray());
        var covered = await StoredPolicyAsync(app, secondRun);
        Assert.Equal(("ask-writes", "ask", grantId, "key", AgentApplication.ApiKeyName), (covered.GetProperty("rule").GetString(),
            covered.GetProperty("effect").GetString(), covered.GetProperty("grant").GetProperty("id").GetString(),
            covered.GetProperty("grant").GetProperty("scope").GetString(), covered.GetProperty("grant").GetProperty("granted_by").GetString()));

        // Both answers are exported: in full in JSON Lines, summarised in CSV.
        var lines = (await admin.GetStringAsync("/audit/export?format=jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToDictionary(r => r.GetProperty("id").GetString()!);
        var exportedApproval = lines[firstRun].GetProperty("tool_executions")[0].GetProperty("policy").GetProperty("approval");
        Assert.Equal((approvalId, "approved", "key", "today only"), (exportedApproval.GetProperty("id").GetString(),
            exportedApproval.GetProperty("status").GetString(), exportedApproval.GetProperty("scope").GetString(), exportedApproval.GetProperty("comment").GetString()));
        Assert.Equal(grantId, lines[secondRun].GetProperty("tool_executions")[0].GetProperty("policy").GetProperty("grant").GetProperty("id").GetString());
        var csv = await admin.GetStringAsync("/audit/export?format=csv");
        Assert.Matches($"(?m)^{secondRun},.*,ask-writes/ask/grant\r$", csv);
        Assert.Matches($"(?m)^{firstRun},.*,ask-writes/ask/approved\r$", csv);

        // Once the grant has expired, the key is asked again.
        time.Advance(TimeSpan.FromMinutes(5));
        var third = await runner.PostAsJsonAsync("/agent/runs", new { input = "write 'late' to late.txt" });
        var thirdRun = (await third.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_id").GetString()!;
        var asked = await Eventually.UntilAsync(async () => (await admin.GetJsonAsync("/approvals?status=pending")).RootElement.Clone(),
            p => p.GetArrayLength() > 0, TimeSpan.FromSeconds(20), "the run after expiry to ask");
        Assert.Equal(thirdRun, asked[0].GetProperty("request_id").GetString());
        Assert.Empty((await admin.GetJsonAsync("/grants")).RootElement.EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/approvals/{asked[0].GetProperty("id").GetString()}/deny", new { })).StatusCode);
        Assert.Equal("tool_error", (await FinishedRunAsync(admin, thirdRun)).GetProperty("status").GetString());
        Assert.False(File.Exists(Path.Combine(app.WorkspacePath, "late.txt")));
        Assert.True((await app.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task ApprovalApi_RunnerKey_IsForbidden()
    {
        await using var app = App();
        var runner = app.CreateClient();
        runner.DefaultRequestHeaders.Add("X-API-Key", RunnerKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await runner.GetAsync("/approvals")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await runner.PostAsJsonAsync("/approvals/x/approve", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await runner.GetAsync("/grants")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/approvals")).StatusCode);
    }
}
