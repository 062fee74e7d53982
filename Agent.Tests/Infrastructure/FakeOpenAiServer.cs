using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// A minimal OpenAI-compatible chat-completions server on 127.0.0.1, speaking the real wire format.
/// Each test scripts its replies in order; when the script runs out, <see cref="WhenScriptEnds"/> answers.
/// Every request is recorded with its path, headers and JSON body.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public const string ModelName = "fake-model";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _callIds;

    private FakeReply _whenScriptEnds = FakeReply.Status(599, "the fake server's script ran out");

    private FakeOpenAiServer(WebApplication app) => _app = app;

    /// <summary>The root URL; <c>/v1</c> is what a client uses as its base URL.</summary>
    public string RootUrl { get; private set; } = "";

    public string BaseUrl => RootUrl + "/v1";

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.RootUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public FakeOpenAiServer Enqueue(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
        return this;
    }

    /// <summary>The reply used once the script is exhausted (by default a 599 that fails the test loudly).</summary>
    public FakeOpenAiServer WhenScriptEnds(FakeReply reply)
    {
        _whenScriptEnds = reply;
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsPost(context.Request.Method) || path is not ("/v1/chat/completions" or "/chat/completions"))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(Error("not_found", $"No route for {context.Request.Method} {path}"));
            return;
        }

        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        _requests.Enqueue(new RecordedRequest(path, context.Request.Headers.Authorization.ToString(), body));
        var reply = _script.TryDequeue(out var next) ? next : _whenScriptEnds;

        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }
        context.Response.StatusCode = reply.StatusCode;
        if (reply.StatusCode != StatusCodes.Status200OK)
        {
            await context.Response.WriteAsJsonAsync(Error(reply.StatusCode == 429 ? "rate_limit_exceeded" : "server_error", reply.Content ?? "error"));
            return;
        }
        await context.Response.WriteAsJsonAsync(Completion(reply, body["model"]?.GetValue<string>() ?? ModelName));
    }

    private JsonObject Completion(FakeReply reply, string model)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content, ["refusal"] = null };
        if (reply.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(reply.ToolCalls.Select(call => (JsonNode)new JsonObject
            {
                ["id"] = call.Id ?? $"call_{Interlocked.Increment(ref _callIds)}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
            }).ToArray());
        }
        return new JsonObject
        {
            ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["system_fingerprint"] = "fp_fake",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = reply.ToolCalls.Count > 0 ? "tool_calls" : "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = reply.PromptTokens,
                ["completion_tokens"] = reply.CompletionTokens,
                ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens,
            },
        };
    }

    private static JsonObject Error(string type, string message) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = null },
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One scripted reply: an assistant message (text and/or tool calls) or an HTTP error, optionally late.</summary>
public sealed record FakeReply
{
    public int StatusCode { get; init; } = 200;
    public string? Content { get; init; }
    public IReadOnlyList<FakeToolCall> ToolCalls { get; init; } = [];
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public TimeSpan Delay { get; init; }
    public int PromptTokens { get; init; } = 42;
    public int CompletionTokens { get; init; } = 7;

    public static FakeReply Text(string content) => new() { Content = content };

    /// <summary>Tool calls as the model sends them: arguments are a JSON text (which may be malformed).</summary>
    public static FakeReply Calls(params FakeToolCall[] calls) => new() { ToolCalls = calls };

    public static FakeReply Call(string name, string arguments) => Calls(new FakeToolCall(name, arguments));

    public static FakeReply Status(int statusCode, string message = "error") => new() { StatusCode = statusCode, Content = message };

    public static FakeReply TooManyRequests(int retryAfterSeconds) =>
        Status(429, "Rate limit reached") with { Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
}

public sealed record FakeToolCall(string Name, string Arguments, string? Id = null);

/// <summary>What the client sent: path, Authorization header and the JSON body.</summary>
public sealed record RecordedRequest(string Path, string Authorization, JsonObject Body)
{
    public JsonArray Tools => Body["tools"] as JsonArray ?? [];

    public JsonArray Messages => Body["messages"] as JsonArray ?? [];

    /// <summary>The tools offered, by name, with their parameter schemas.</summary>
    public IReadOnlyDictionary<string, JsonObject> ToolSchemas => Tools
        .Select(t => t?["function"] as JsonObject)
        .Where(f => f is not null)
        .ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["parameters"] as JsonObject ?? [], StringComparer.Ordinal);
}
