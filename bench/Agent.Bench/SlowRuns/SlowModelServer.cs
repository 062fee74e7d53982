using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Agent.Bench.SlowRuns;

/// <summary>
/// An OpenAI-compatible chat-completions endpoint on 127.0.0.1 that takes <see cref="TurnTime"/> to answer every turn,
/// like a real model: the first turn of a run calls <c>list_dir</c>, the turn after the tool result answers in text.
/// So a run costs exactly <see cref="TurnsPerRun"/> turns of model time.
/// </summary>
public sealed class SlowModelServer : IAsyncDisposable
{
    public const int TurnsPerRun = 2;

    private readonly WebApplication _app;
    private long _turns;

    private SlowModelServer(WebApplication app, TimeSpan turnTime)
    {
        _app = app;
        TurnTime = turnTime;
    }

    public TimeSpan TurnTime { get; }
    public long Turns => Interlocked.Read(ref _turns);
    public Uri BaseUrl => new(_app.Urls.First() + "/v1/");

    public static async Task<SlowModelServer> StartAsync(TimeSpan turnTime)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        var server = new SlowModelServer(app, turnTime);
        app.MapPost("/v1/chat/completions", server.AnswerAsync);
        await app.StartAsync();
        return server;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        var started = DateTime.UtcNow;
        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
        var messages = body["messages"] as JsonArray ?? [];
        var sawToolResult = messages.Any(m => m?["role"]?.GetValue<string>() == "tool");
        Interlocked.Increment(ref _turns);
        // The turn takes TurnTime from the moment the request arrived, whatever parsing cost.
        var remaining = TurnTime - (DateTime.UtcNow - started);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, http.RequestAborted);
        }
        var message = new JsonObject { ["role"] = "assistant", ["content"] = sawToolResult ? "The workspace has 100 entries." : null };
        if (!sawToolResult)
        {
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = "call_1",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = "list_dir", ["arguments"] = "{\"path\":\".\"}" },
            });
        }
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "chatcmpl-slow",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = "slow-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = sawToolResult ? "stop" : "tool_calls",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 50, ["completion_tokens"] = 10, ["total_tokens"] = 60 },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
