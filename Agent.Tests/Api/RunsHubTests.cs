using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Agent.Tests.Infrastructure;
using Agent.Web.Runs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Api;

public sealed class RunsHubTests
{
    [Fact]
    public async Task SubscribeAll_RealSignalRClient_ReceivesRunEventsInOrder()
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();
        await using var connection = Connect(baseUrl, AgentApplication.ApiKey);
        var received = Channel.CreateUnbounded<JsonElement>();
        connection.On<JsonElement>("RunEvent", e => received.Writer.TryWrite(e));
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeAll");

        using var client = new HttpClient { BaseAddress = baseUrl };
        client.DefaultRequestHeaders.Add("X-API-Key", AgentApplication.ApiKey);
        var run = JsonDocument.Parse(await (await client.PostAsJsonAsync("/agent/run", new { input = "List the files in the workspace" })).Content.ReadAsStringAsync()).RootElement;
        var id = run.GetProperty("request_id").GetString()!;

        var events = new List<JsonElement>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (events.Count == 0 || events[^1].GetProperty("type").GetString() != "run_finished")
        {
            events.Add(await received.Reader.ReadAsync(timeout.Token));
        }
        Assert.All(events, e => Assert.Equal(id, e.GetProperty("run_id").GetString()));
        Assert.Equal(["run_started", "decision", "tool_started", "tool_completed", "decision", "run_finished"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.GetProperty("sequence").GetInt32()));
        Assert.Equal("list_dir", events[3].GetProperty("data").GetProperty("tool_name").GetString());
        // Each message carries the very bytes the run's tracker wrote once for its history and SSE.
        var tracked = app.Services.GetRequiredService<RunManager>().Find(id)!;
        Assert.Equal(tracked.Events.Select(e => Encoding.UTF8.GetString(e.Json.Span)), events.Select(e => e.GetRawText()));
    }

    [Fact]
    public async Task Connect_WithoutKey_IsRefused()
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();
        await using var connection = Connect(baseUrl, apiKey: null);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync());

        Assert.Contains("401", error.Message);
    }

    private static HubConnection Connect(Uri baseUrl, string? apiKey) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "/hubs/runs"), options =>
            {
                if (apiKey is not null)
                {
                    options.Headers.Add("X-API-Key", apiKey);
                }
            })
            .Build();
}
