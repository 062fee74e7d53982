using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Policy;

/// <summary>
/// A run paused on an approval survives the server process ending (SIGKILL or a graceful SIGTERM): the next process on
/// the same database and workspace resumes it, and the answer given after the restart decides the real tool call.
/// The server is the built Agent.Web.dll as a child process, with the local planner (which calls write_file for
/// "write 'hello' to notes.txt") and a rule asking about every write_file.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Process")]
public sealed class ApprovalRestartTests : IDisposable
{
    private const string RunnerKey = "restart-runner-0123456789abcdef";
    private const string AdminKey = "restart-admin-0123456789abcdef0";
    private const string Instruction = "write 'hello' to notes.txt";
    private static readonly TimeSpan RestartWait = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _root = new("agent-approval-restart");
    private readonly Uri _baseUrl;
    private readonly Dictionary<string, string> _environment;

    public ApprovalRestartTests()
    {
        var port = FreePort.Next();
        _baseUrl = new Uri($"http://127.0.0.1:{port}");
        Directory.CreateDirectory(Workspace);
        _environment = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["DATABASE_PATH"] = DatabasePath,
            ["WORKSPACE_ROOT"] = Workspace,
            ["HOME"] = _root.Path,
            ["RATE_LIMIT_ENABLED"] = "false",
            ["LLM_PROVIDER"] = "local",
            ["Agent__ApiKeys__runner"] = RunnerKey,
            ["Agent__KeyRoles__runner"] = "runner",
            ["Agent__ApiKeys__admin"] = AdminKey,
            ["Agent__KeyRoles__admin"] = "admin",
            ["Policy__Rules__0__Id"] = "ask-writes",
            ["Policy__Rules__0__Tool"] = "write_file",
            ["Policy__Rules__0__Effect"] = "ask",
            ["Policy__Rules__0__Reason"] = "writes need a look",
        };
    }

    private string Workspace => _root.Combine("workspace");

    private string DatabasePath => _root.Combine("data", "agent.db");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Restart_AfterSigkill_ApprovedAfterwards_RunCompletesWithTheToolsRealResult()
    {
        var (runId, approvalId) = await PauseOnApprovalThenAsync(server => server.Kill());

        await using var second = await StartAsync();
        using var admin = Client(AdminKey);
        using var runner = Client(RunnerKey);
        // Resumed and tracked again: the runner who started it sees it waiting, as before the crash.
        Assert.Equal("awaiting_approval", await StatusAsync(runner, runId));
        Assert.False(File.Exists(Path.Combine(Workspace, "notes.txt")));

        var approved = await admin.PostAsJsonAsync($"/approvals/{approvalId}/approve", new { scope = "once", comment = "after the crash" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var run = await FinishedAsync(runner, runId);

        Assert.Equal("success", run.GetProperty("status").GetString());
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(Workspace, "notes.txt")));
        var execution = Assert.Single(run.GetProperty("result").GetProperty("tool_executions").EnumerateArray());
        Assert.Equal(("write_file", "success"), (execution.GetProperty("tool_name").GetString(), execution.GetProperty("status").GetString()));
        Assert.Equal(5, execution.GetProperty("output").GetProperty("bytes_written").GetInt32());
        Assert.Contains("notes.txt", run.GetProperty("result").GetProperty("output").GetString());

        var row = Assert.Single(await AuditDatabase.QueryAsync(DatabasePath,
            $"SELECT status, policy, output FROM tool_executions WHERE request_id = '{runId}'"));
        Assert.Equal("success", row["status"]);
        var policy = JsonDocument.Parse((string)row["policy"]!).RootElement;
        Assert.Equal(("ask-writes", "ask"), (policy.GetProperty("rule").GetString(), policy.GetProperty("effect").GetString()));
        var approval = policy.GetProperty("approval");
        Assert.Equal((approvalId, "approved", "admin", "once", "after the crash"), (approval.GetProperty("id").GetString(),
            approval.GetProperty("status").GetString(), approval.GetProperty("decided_by").GetString(),
            approval.GetProperty("scope").GetString(), approval.GetProperty("comment").GetString()));
        var request = Assert.Single(await AuditDatabase.QueryAsync(DatabasePath, $"SELECT status, error FROM requests WHERE id = '{runId}'"));
        Assert.Equal(("success", null), ((string?)request["status"], (string?)request["error"]));
        // Two decisions: the turn that asked before the crash, and the answer after it; nothing was written twice.
        Assert.Equal(2L, (await AuditDatabase.QueryAsync(DatabasePath, $"SELECT COUNT(*) AS n FROM decisions WHERE request_id = '{runId}'"))[0]["n"]);
        await AssertChainVerifiesAsync(admin);
    }

    [Fact]
    public async Task Restart_AfterGracefulStop_DeniedAfterwards_RunFinishesBlockedAndTheModelIsTold()
    {
        var (runId, approvalId) = await PauseOnApprovalThenAsync(async server =>
        {
            using var term = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), "The server did not stop on SIGTERM.");
        });
        // The graceful stop neither closed the run nor the request: both wait for the next process.
        Assert.Equal("running", (await AuditDatabase.QueryAsync(DatabasePath, $"SELECT status FROM requests WHERE id = '{runId}'"))[0]["status"]);
        Assert.Equal("pending", (await AuditDatabase.QueryAsync(DatabasePath, $"SELECT status FROM approvals WHERE id = '{approvalId}'"))[0]["status"]);

        await using var second = await StartAsync();
        using var admin = Client(AdminKey);
        Assert.Equal("awaiting_approval", await StatusAsync(admin, runId));
        var denied = await admin.PostAsJsonAsync($"/approvals/{approvalId}/deny", new { comment = "not after a restart" });
        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
        var run = await FinishedAsync(admin, runId);

        Assert.Equal("tool_error", run.GetProperty("status").GetString());
        var execution = Assert.Single(run.GetProperty("result").GetProperty("tool_executions").EnumerateArray());
        Assert.Equal("blocked", execution.GetProperty("status").GetString());
        Assert.Contains("not after a restart", execution.GetProperty("error").GetString());
        // The local planner's answer repeats what it was told: the call was blocked.
        Assert.Contains("blocked", run.GetProperty("result").GetProperty("output").GetString());
        Assert.False(File.Exists(Path.Combine(Workspace, "notes.txt")));
        var policy = JsonDocument.Parse((string)(await AuditDatabase.QueryAsync(DatabasePath,
            $"SELECT policy FROM tool_executions WHERE request_id = '{runId}'"))[0]["policy"]!).RootElement;
        Assert.Equal(("denied", "admin"), (policy.GetProperty("approval").GetProperty("status").GetString(),
            policy.GetProperty("approval").GetProperty("decided_by").GetString()));
        await AssertChainVerifiesAsync(admin);
    }

    [Fact]
    public async Task GracefulStop_WhileASynchronousRunWaits_DoesNotCancelIt_AndTheNextProcessFinishesIt()
    {
        // The host gives open requests 3 s to finish, then drops them; the dropped caller must not end the run.
        _environment["DOTNET_shutdownTimeoutSeconds"] = "3";
        string runId, approvalId;
        await using (var first = await StartAsync())
        {
            using var runner = Client(RunnerKey);
            using var admin = Client(AdminKey);
            var waiting = runner.PostAsJsonAsync("/agent/run", new { input = Instruction });
            JsonElement pending = default;
            await Eventually.UntilAsync(async () =>
            {
                pending = (await admin.GetJsonAsync("/approvals?status=pending")).RootElement.Clone();
                return pending.GetArrayLength() == 1;
            }, RestartWait, "the synchronous run to ask");
            (runId, approvalId) = (pending[0].GetProperty("request_id").GetString()!, pending[0].GetProperty("id").GetString()!);
            using var term = Process.Start("kill", ["-TERM", first.Id.ToString(CultureInfo.InvariantCulture)]);
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), "The server did not stop on SIGTERM.");
            await Assert.ThrowsAnyAsync<Exception>(async () => (await waiting).EnsureSuccessStatusCode());
        }
        Assert.Equal(("running", null), ((string?)(await AuditDatabase.QueryAsync(DatabasePath, $"SELECT status FROM requests WHERE id = '{runId}'"))[0]["status"],
            (string?)(await AuditDatabase.QueryAsync(DatabasePath, $"SELECT error FROM requests WHERE id = '{runId}'"))[0]["error"]));

        await using var second = await StartAsync();
        using var approver = Client(AdminKey);
        Assert.Equal("awaiting_approval", await StatusAsync(approver, runId));
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/approvals/{approvalId}/approve", new { })).StatusCode);
        Assert.Equal("success", (await FinishedAsync(approver, runId)).GetProperty("status").GetString());
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(Workspace, "notes.txt")));
    }

    [Fact]
    public async Task Restart_WithThePolicyChangedToDeny_RunEndsErrorWithTheReason_AndTheRequestIsClosed()
    {
        var (runId, approvalId) = await PauseOnApprovalThenAsync(server => server.Kill());
        _environment["Policy__Rules__0__Effect"] = "deny";

        await using var second = await StartAsync();
        using var admin = Client(AdminKey);
        var run = await FinishedAsync(admin, runId);

        Assert.Equal("error", run.GetProperty("status").GetString());
        var error = run.GetProperty("result").GetProperty("error").GetString();
        Assert.Contains("Could not resume the run after a restart: the policy changed", error);
        Assert.Contains("'deny' by rule 'ask-writes'", error);
        var request = (await AuditDatabase.QueryAsync(DatabasePath, $"SELECT status, error FROM requests WHERE id = '{runId}'"))[0];
        Assert.Equal(("error", error), ((string?)request["status"], (string?)request["error"]));
        var approval = (await admin.GetJsonAsync($"/approvals/{approvalId}")).RootElement;
        Assert.Equal(("expired", "system"), (approval.GetProperty("status").GetString(), approval.GetProperty("decided_by").GetString()));
        Assert.Contains("policy changed", approval.GetProperty("comment").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/approvals/{approvalId}/approve", new { })).StatusCode);
        Assert.Empty(await AuditDatabase.QueryAsync(DatabasePath, $"SELECT id FROM tool_executions WHERE request_id = '{runId}'"));
        Assert.False(File.Exists(Path.Combine(Workspace, "notes.txt")));
        await AssertChainVerifiesAsync(admin);
    }

    /// <summary>Starts a server, starts a run that asks, waits until it is awaiting approval, then ends the server with <paramref name="stop"/>.</summary>
    private async Task<(string RunId, string ApprovalId)> PauseOnApprovalThenAsync(Func<AgentProcess, Task> stop)
    {
        await using var first = await StartAsync();
        using var runner = Client(RunnerKey);
        using var admin = Client(AdminKey);
        var started = await runner.PostAsJsonAsync("/agent/runs", new { input = Instruction });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_id").GetString()!;
        await Eventually.UntilAsync(async () => await StatusAsync(runner, runId) == "awaiting_approval", RestartWait, "the run to await approval");
        var pending = (await admin.GetJsonAsync("/approvals?status=pending")).RootElement;
        var approvalId = Assert.Single(pending.EnumerateArray()).GetProperty("id").GetString()!;
        await stop(first);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        return (runId, approvalId);
    }

    private Task<(string RunId, string ApprovalId)> PauseOnApprovalThenAsync(Action<AgentProcess> stop) =>
        PauseOnApprovalThenAsync(server =>
        {
            stop(server);
            return Task.CompletedTask;
        });

    private async Task<AgentProcess> StartAsync()
    {
        var server = AgentProcess.Start(_root.Path, _environment);
        await server.WaitUntilHealthyAsync(_baseUrl, TimeSpan.FromSeconds(60));
        return server;
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = _baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private static async Task<string?> StatusAsync(HttpClient client, string runId)
    {
        var response = await client.GetAsync($"/agent/runs/{runId}");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() : null;
    }

    private static async Task<JsonElement> FinishedAsync(HttpClient client, string runId)
    {
        JsonElement run = default;
        await Eventually.UntilAsync(async () =>
        {
            var response = await client.GetAsync($"/agent/runs/{runId}");
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }
            run = (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
            return run.GetProperty("status").GetString() is not ("running" or "awaiting_approval");
        }, RestartWait, "the run to finish");
        return run;
    }

    private static async Task AssertChainVerifiesAsync(HttpClient admin)
    {
        var verify = (await admin.GetJsonAsync("/audit/verify")).RootElement;
        Assert.True(verify.GetProperty("status").GetString() == "ok", verify.ToString());
    }
}
