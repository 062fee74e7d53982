using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Core.Policy;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Policy;

/// <summary>
/// The operator key role: it answers approvals and follows the runs awaiting one, and nothing more; and no key but an
/// admin approves a call its own key's run asked for.
/// </summary>
public sealed class OperatorRoleTests
{
    private const string RunnerKey = "op-runner-0123456789abcdef";
    private const string OperatorKey = "op-erin-0123456789abcdef00";

    private static AgentApplication App() => AskWritesApp.Create(RunnerKey, OperatorKey);

    private static HttpClient Client(AgentApplication app, string key)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private static async Task<(string RunId, string ApprovalId)> AskAsync(HttpClient starter, HttpClient approver)
    {
        var started = await starter.PostAsJsonAsync("/agent/runs", new { input = "write 'hello' to notes.txt" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_id").GetString()!;
        var mine = await Eventually.UntilAsync(
            async () => (await approver.GetJsonAsync("/approvals?status=pending")).RootElement.EnumerateArray()
                .Where(a => a.GetProperty("request_id").GetString() == runId).Select(a => (JsonElement?)a.Clone()).FirstOrDefault(),
            a => a is not null, TimeSpan.FromSeconds(15), "the run to ask");
        return (runId, mine!.Value.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Operator_FollowsAndApprovesAWaitingRun_ButStartsAndCancelsNothing()
    {
        await using var app = App();
        using var runner = Client(app, RunnerKey);
        using var erin = Client(app, OperatorKey);
        var (runId, approvalId) = await AskAsync(runner, erin);

        Assert.Equal("awaiting_approval", (await erin.GetJsonAsync($"/agent/runs/{runId}")).RootElement.GetProperty("status").GetString());
        using (var events = await erin.GetAsync($"/agent/runs/{runId}/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        }
        var cancel = await erin.PostAsync($"/agent/runs/{runId}/cancel", null);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Contains("deny the approval request instead", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await erin.PostAsJsonAsync("/agent/runs", new { input = "list the files" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await erin.PostAsJsonAsync("/agent/run", new { input = "list the files" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await erin.GetAsync("/audit/verify")).StatusCode);
        Assert.Equal(0, (await erin.GetJsonAsync("/audit/requests")).RootElement.GetProperty("total_count").GetInt32());

        var approved = await erin.PostAsJsonAsync($"/approvals/{approvalId}/approve", new { scope = "run", expires_in_minutes = 5 });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await Eventually.UntilAsync(
            async () => (await runner.GetJsonAsync($"/agent/runs/{runId}")).RootElement.GetProperty("status").GetString() is not ("running" or "awaiting_approval"),
            TimeSpan.FromSeconds(15), "the approved run to finish");

        // Once it no longer waits on anyone, the run is the runner's business again.
        Assert.Equal(HttpStatusCode.NotFound, (await erin.GetAsync($"/agent/runs/{runId}")).StatusCode);
        Assert.Equal("success", (await runner.GetJsonAsync($"/agent/runs/{runId}")).RootElement.GetProperty("status").GetString());
        var grant = Assert.Single((await erin.GetJsonAsync("/grants")).RootElement.EnumerateArray());
        Assert.Equal(("erin", "run"), (grant.GetProperty("created_by").GetString(), grant.GetProperty("scope").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await erin.DeleteAsync($"/grants/{grant.GetProperty("id").GetString()}")).StatusCode);

        // A revoked grant leaves the list in force and stays in the history the query string asks for.
        Assert.Empty((await erin.GetJsonAsync("/grants")).RootElement.EnumerateArray());
        var revoked = Assert.Single((await erin.GetJsonAsync("/grants?include_inactive=true")).RootElement.EnumerateArray());
        Assert.Equal(grant.GetProperty("id").GetString(), revoked.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Operator_ApprovingItsOwnKeysRequest_IsForbiddenAndRecorded_DenyingItIsAllowed()
    {
        await using var app = App();
        using var erin = Client(app, OperatorKey);
        // A request its key made while it was still a runner: the key's role changed, its request did not.
        var store = app.Services.GetRequiredService<IApprovalStore>();
        var now = DateTimeOffset.UtcNow;
        await store.AddAsync(new ApprovalRecord
        {
            Id = "own-1",
            RequestId = "run-of-erin",
            ToolName = "write_file",
            RuleId = "ask-writes",
            PolicyVersion = "v",
            Principal = "erin",
            Status = ApprovalStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(10),
        });

        var approve = await erin.PostAsJsonAsync("/approvals/own-1/approve", new { scope = "everyone" });

        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Contains("another operator or an admin must approve it", (await approve.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal("pending", (await store.FindAsync("own-1"))!.Status);
        var refusal = Assert.Single(await app.WaitForRowsAsync("SELECT * FROM security_events WHERE reason = 'own_request'", 1));
        Assert.Equal(("erin", 403L, "/approvals/own-1/approve"), ((string?)refusal["principal"], (long)refusal["status_code"]!, (string?)refusal["route"]));
        var deny = await erin.PostAsJsonAsync("/approvals/own-1/deny", new { comment = "withdrawn" });
        Assert.Equal(HttpStatusCode.OK, deny.StatusCode);
        Assert.Equal(("denied", "erin"), ((await store.FindAsync("own-1"))!.Status, (await store.FindAsync("own-1"))!.DecidedBy));
    }

    [Fact]
    public async Task Admin_ApprovingItsOwnKeysRequest_IsAllowed()
    {
        await using var app = App();
        using var admin = app.CreateAuthenticatedClient();
        var (runId, approvalId) = await AskAsync(admin, admin);

        var approved = await admin.PostAsJsonAsync($"/approvals/{approvalId}/approve", new { });

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(AgentApplication.ApiKeyName, (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("principal").GetString());
        Assert.Single(await app.WaitForRowsAsync($"SELECT id FROM requests WHERE id = '{runId}' AND status = 'success'", 1));
    }
}
