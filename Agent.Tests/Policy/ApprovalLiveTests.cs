using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Policy;

/// <summary>
/// A run waiting on a person, seen from every live door of a real server on a real port: the synchronous
/// <c>POST /agent/run</c> that keeps waiting, the SSE stream, and the SignalR hub (followed by an operator key).
/// </summary>
public sealed class ApprovalLiveTests
{
    private const string RunnerKey = "live-runner-0123456789abcdef";
    private const string OperatorKey = "live-operator-0123456789abcd";

    private static readonly string[] AskedRunEvents =
        ["run_started", "decision", "tool_started", "approval_requested", "approval_decided", "tool_completed", "decision", "run_finished"];

    private static AgentApplication App(TimeProvider? time = null) => AskWritesApp.Create(RunnerKey, OperatorKey,
        new Dictionary<string, string?> { ["Agent:RunTimeout"] = "60" },
        time is { } clock ? services => services.AddSingleton(clock) : null);

    private static HttpClient Client(Uri baseUrl, string key)
    {
        var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private static async Task<JsonElement> PendingApprovalAsync(HttpClient approver)
    {
        var pending = await Eventually.UntilAsync(async () => (await approver.GetJsonAsync("/approvals?status=pending")).RootElement.Clone(),
            p => p.GetArrayLength() > 0, TimeSpan.FromSeconds(15), "an approval to be requested");
        return pending[0];
    }

    private static async Task<string> StartAsync(HttpClient runner)
    {
        var started = await runner.PostAsJsonAsync("/agent/runs", new { input = "write 'hello' to notes.txt" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request_id").GetString()!;
    }

    [Fact]
    public async Task SyncRun_AskPending_KeepsWaitingThenReturnsTheFinalResultAfterApproval()
    {
        var time = FakeTimeExtensions.StartingNow();
        await using var app = App(time);
        var baseUrl = app.StartOnRealPort();
        using var runner = Client(baseUrl, RunnerKey);
        using var approver = Client(baseUrl, OperatorKey);

        var waiting = runner.PostAsJsonAsync("/agent/run", new { input = "write 'hello' to notes.txt" });
        var approval = await PendingApprovalAsync(approver);
        // Well past the moment it asked (50 s of the run's clock, inside RUN_TIMEOUT), the caller is still waiting on the same request.
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.False(waiting.IsCompleted);
        Assert.Equal("awaiting_approval", (await approver.GetJsonAsync($"/agent/runs/{approval.GetProperty("request_id").GetString()}"))
            .RootElement.GetProperty("status").GetString());
        var approved = await approver.PostAsJsonAsync($"/approvals/{approval.GetProperty("id").GetString()}/approve", new { comment = "go" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(approval.GetProperty("request_id").GetString(), result.GetProperty("request_id").GetString());
        Assert.Equal("success", result.GetProperty("status").GetString());
        var execution = Assert.Single(result.GetProperty("tool_executions").EnumerateArray());
        Assert.Equal(("write_file", "success"), (execution.GetProperty("tool_name").GetString(), execution.GetProperty("status").GetString()));
        Assert.Equal(("approved", "erin"), (execution.GetProperty("policy").GetProperty("approval").GetProperty("status").GetString(),
            execution.GetProperty("policy").GetProperty("approval").GetProperty("decided_by").GetString()));
        Assert.True(result.GetProperty("duration_ms").GetInt64() >= 50_000);
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(app.WorkspacePath, "notes.txt")));
    }

    [Fact]
    public async Task Sse_RunAsks_StreamsAwaitingApprovalAndTheDecisionInTheRunsOrder()
    {
        await using var app = App();
        var baseUrl = app.StartOnRealPort();
        using var runner = Client(baseUrl, RunnerKey);
        using var approver = Client(baseUrl, OperatorKey);
        var runId = await StartAsync(runner);

        using var stream = await runner.GetAsync($"/agent/runs/{runId}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var events = new List<(string Type, JsonElement Event)>();
        await foreach (var item in SseParser.Create(await stream.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            var data = JsonDocument.Parse(item.Data).RootElement.Clone();
            events.Add((item.EventType, data));
            if (item.EventType == "approval_requested")
            {
                // The stream is paused at the request: the status says so, and the answer arrives on the same stream.
                Assert.Equal("awaiting_approval", data.GetProperty("data").GetProperty("run_status").GetString());
                Assert.Equal("awaiting_approval", (await runner.GetJsonAsync($"/agent/runs/{runId}")).RootElement.GetProperty("status").GetString());
                var id = data.GetProperty("data").GetProperty("approval_id").GetString();
                Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/approvals/{id}/approve", new { })).StatusCode);
            }
        }

        Assert.Equal(AskedRunEvents, events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.Event.GetProperty("sequence").GetInt32()));
        var requested = events[3].Event.GetProperty("data");
        Assert.Equal(("write_file", "ask-writes", "notes.txt"), (requested.GetProperty("tool_name").GetString(),
            requested.GetProperty("rule_id").GetString(), requested.GetProperty("input").GetProperty("path").GetString()));
        var decided = events[4].Event.GetProperty("data");
        Assert.Equal(("approved", "erin", "running"), (decided.GetProperty("status").GetString(),
            decided.GetProperty("decided_by").GetString(), decided.GetProperty("run_status").GetString()));
        Assert.Equal("success", events[^1].Event.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task SignalR_OperatorFollowsTheWaitingRun_ReceivesTheRequestAndTheDenial()
    {
        await using var app = App();
        var baseUrl = app.StartOnRealPort();
        using var runner = Client(baseUrl, RunnerKey);
        using var approver = Client(baseUrl, OperatorKey);
        var runId = await StartAsync(runner);
        var approval = await PendingApprovalAsync(approver);

        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "/hubs/runs"), o => o.Headers.Add("X-API-Key", OperatorKey))
            .Build();
        var live = Channel.CreateUnbounded<JsonElement>();
        hub.On<JsonElement>("RunEvent", e => live.Writer.TryWrite(e));
        await hub.StartAsync();
        // An operator key may join a run only while it awaits approval; the history so far comes back with the join.
        var history = await hub.InvokeAsync<JsonElement[]>("SubscribeRun", runId);
        Assert.Equal("approval_requested", history[^1].GetProperty("type").GetString());
        Assert.Equal("awaiting_approval", history[^1].GetProperty("data").GetProperty("run_status").GetString());
        var denied = await approver.PostAsJsonAsync($"/approvals/{approval.GetProperty("id").GetString()}/deny", new { comment = "no writes today" });
        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);

        var events = history.ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (events[^1].GetProperty("type").GetString() != "run_finished")
        {
            var next = await live.Reader.ReadAsync(timeout.Token);
            if (next.GetProperty("sequence").GetInt32() > events[^1].GetProperty("sequence").GetInt32())
            {
                events.Add(next);
            }
        }
        Assert.Equal(AskedRunEvents, events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(("denied", "no writes today"), (events[4].GetProperty("data").GetProperty("status").GetString(),
            events[4].GetProperty("data").GetProperty("comment").GetString()));
        Assert.Equal(("blocked", "tool_error"), (events[5].GetProperty("data").GetProperty("status").GetString(),
            events[^1].GetProperty("data").GetProperty("status").GetString()));
        // Finished, the run no longer awaits approval: the operator cannot join it again.
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<JsonElement[]>("SubscribeRun", runId));
    }
}
