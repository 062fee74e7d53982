using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Api;

public sealed class AsyncRunApiTests
{
    [Fact]
    public async Task PostRuns_Returns202WithLocation_ThenStatusHasResult()
    {
        await using var app = new AgentApplication();
        var client = app.CreateAuthenticatedClient();

        var accepted = await client.PostAsJsonAsync("/agent/runs", new { input = "List the files in the workspace" });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var body = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement;
        var id = body.GetProperty("request_id").GetString()!;
        Assert.Equal($"/agent/runs/{id}", accepted.Headers.Location!.OriginalString);
        var status = await PollUntilFinishedAsync(client, id);
        Assert.Equal("success", status.GetProperty("status").GetString());
        Assert.Equal("list_dir", status.GetProperty("result").GetProperty("tool_executions")[0].GetProperty("tool_name").GetString());
        var steps = status.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("type").GetString()).ToList();
        Assert.Equal(["run_started", "decision", "tool_started", "tool_completed", "decision", "run_finished"], steps);
    }

    [Fact]
    public async Task GetEvents_ReadsServerSentEventsFromStartToEnd()
    {
        await using var app = new AgentApplication();
        var client = app.CreateAuthenticatedClient();
        var accepted = await client.PostAsJsonAsync("/agent/runs", new { input = "list the files and check your health" });
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;

        using var response = await client.GetAsync($"/agent/runs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string Type, JsonElement Data)>();
        var lines = new List<string>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement));
            lines.Add(item.Data);
        }

        Assert.Equal(["run_started", "decision", "tool_started", "tool_completed", "tool_started", "tool_completed", "decision", "run_finished"], events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.Data.GetProperty("sequence").GetInt32()));
        Assert.All(events, e => Assert.Equal(id, e.Data.GetProperty("run_id").GetString()));
        Assert.Equal("success", events[^1].Data.GetProperty("data").GetProperty("status").GetString());
        // Each data line is the event's JSON as its tracker wrote it once (no serialisation per stream).
        var tracked = app.Services.GetRequiredService<Agent.Web.Runs.RunManager>().Find(id)!;
        Assert.Equal(tracked.Events.Select(e => System.Text.Encoding.UTF8.GetString(e.Json.Span)), lines);
    }

    [Fact]
    public async Task Cancel_RunningRun_EndsAsErrorAndIsAudited()
    {
        var tool = new BlockingTool();
        await using var app = new AgentApplication
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<IAgentTool>(tool);
                services.AddSingleton<IChatCompletionService>(new ScriptedChatService([(BlockingTool.ToolName, new KernelArguments())]));
            },
        };
        var client = app.CreateAuthenticatedClient();
        var accepted = await client.PostAsJsonAsync("/agent/runs", new { input = "wait forever" });
        var id = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;
        await tool.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var cancel = await client.PostAsync($"/agent/runs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var status = await PollUntilFinishedAsync(client, id);
        Assert.Equal("error", status.GetProperty("status").GetString());
        Assert.Contains("cancelled", status.GetProperty("result").GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        var row = Assert.Single(await app.QueryAsync($"SELECT status, error FROM requests WHERE id = '{id}'"));
        Assert.Equal("error", row["status"]);
        var execution = Assert.Single(await app.QueryAsync($"SELECT tool_name, status, error FROM tool_executions WHERE request_id = '{id}'"));
        Assert.Equal(BlockingTool.ToolName, execution["tool_name"]);
        Assert.Equal("error", execution["status"]);
        Assert.StartsWith("Interrupted", (string)execution["error"]!);
        var again = await client.PostAsync($"/agent/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task GetRun_UnknownId_Returns404Json()
    {
        await using var app = new AgentApplication();

        var response = await app.CreateAuthenticatedClient().GetAsync("/agent/runs/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not active", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AsyncRoutes_WithoutKey_Return401()
    {
        await using var app = new AgentApplication();
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/agent/runs", new { input = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/agent/runs/x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/agent/runs/x/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/agent/runs/x/cancel", null)).StatusCode);
    }

    private static Task<JsonElement> PollUntilFinishedAsync(HttpClient client, string id) =>
        Eventually.UntilAsync(async () => JsonDocument.Parse(await client.GetStringAsync($"/agent/runs/{id}")).RootElement,
            status => status.GetProperty("status").GetString() != "running", TimeSpan.FromSeconds(30), $"run {id} finishes");
}
