using System.Collections.Concurrent;
using System.Text.Json;
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
/// A fake LLM provider on 127.0.0.1 speaking one real wire format (<see cref="FakeWire"/>): OpenAI chat completions by
/// default, or Groq's, Ollama's, or Anthropic's native Messages API. It rejects what the real API rejects, with the real
/// error bodies (see <see cref="Rejections"/>). Each test scripts its replies in order; when the script runs out,
/// <see cref="WhenScriptEnds"/> answers. Every request is recorded with its path, headers and JSON body.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public const string ModelName = "fake-model";

    private readonly WebApplication _app;
    private readonly IFakeWire _wire;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<FakeRejection> _rejections = new();

    private FakeReply _whenScriptEnds = FakeReply.Status(599, "the fake server's script ran out");

    private FakeOpenAiServer(WebApplication app, FakeWire wire)
    {
        _app = app;
        Wire = wire;
        _wire = wire == FakeWire.Anthropic ? new AnthropicMessagesWire() : new ChatCompletionsWire(wire);
    }

    public FakeWire Wire { get; }

    /// <summary>The root URL; <c>/v1</c> is what a client uses as its base URL.</summary>
    public string RootUrl { get; private set; } = "";

    public string BaseUrl => RootUrl + "/v1";

    /// <summary>The model named in answers; by default the one requested. Real providers answer with a dated snapshot.</summary>
    public string? AnsweredModel { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Requests refused for breaking the wire format's rules; a correct client causes none.</summary>
    public IReadOnlyList<FakeRejection> Rejections => _rejections.ToArray();

    public static async Task<FakeOpenAiServer> StartAsync(FakeWire wire = FakeWire.OpenAi)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app, wire);
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
        if (!HttpMethods.IsPost(context.Request.Method) || !_wire.Handles(path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = $"No route for {context.Request.Method} {path}", ["type"] = "not_found" } });
            return;
        }

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            body = [];
        }
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        _requests.Enqueue(new RecordedRequest(path, context.Request.Headers.Authorization.ToString(), body, headers));

        if (_wire.Validate(headers, body) is { } rejection)
        {
            _rejections.Enqueue(rejection);
            context.Response.StatusCode = rejection.StatusCode;
            await context.Response.WriteAsJsonAsync(rejection.Body);
            return;
        }

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
        var requestedModel = body["model"]?.GetValue<string>() ?? ModelName;
        if (reply.Error != FakeError.None)
        {
            var (status, error) = _wire.RenderError(reply, requestedModel);
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(error);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(_wire.RenderAnswer(reply, AnsweredModel ?? requestedModel));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
