using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Agent.Testing;

/// <summary>
/// A fake LLM provider on 127.0.0.1 speaking one real wire format (<see cref="FakeWire"/>): OpenAI chat completions by
/// default, or Groq's, Ollama's, or Anthropic's native Messages API. It rejects what the real API rejects, with the real
/// error bodies (see <see cref="Rejections"/>). Each test scripts its replies in order; when the script runs out,
/// <see cref="WhenScriptEnds"/> answers (or <see cref="RespondWith"/> decides from the request, for many runs at once).
/// Every request is counted and, unless started with <c>record: false</c> (long load runs), recorded with its path,
/// headers and JSON body.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public const string ModelName = "fake-model";

    private readonly IFakeWire _wire;
    private readonly bool _record;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<FakeRejection> _rejections = new();

    private LoopbackServer? _server;
    private Func<RecordedRequest, long, FakeReply> _whenScriptEnds = (_, _) => FakeReply.Status(599, "the fake server's script ran out");
    private long _requestCount;

    private FakeOpenAiServer(FakeWire wire, bool record)
    {
        _record = record;
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

    /// <summary>Every request that reached the fake, recorded or not.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Requests refused for breaking the wire format's rules; a correct client causes none.</summary>
    public IReadOnlyList<FakeRejection> Rejections => _rejections.ToArray();

    public static async Task<FakeOpenAiServer> StartAsync(FakeWire wire = FakeWire.OpenAi, bool record = true)
    {
        var fake = new FakeOpenAiServer(wire, record);
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        fake.RootUrl = fake._server.RootUrl;
        return fake;
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
    public FakeOpenAiServer WhenScriptEnds(FakeReply reply) => RespondWith((_, _) => reply);

    /// <summary>
    /// Once the script is exhausted, each reply is chosen from the request and its number (1 for the first request the
    /// fake received): for many concurrent runs, where a queue cannot tell which run a request belongs to.
    /// </summary>
    public FakeOpenAiServer RespondWith(Func<RecordedRequest, long, FakeReply> reply)
    {
        _whenScriptEnds = reply;
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var number = Interlocked.Increment(ref _requestCount);
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
        var request = new RecordedRequest(path, context.Request.Headers.Authorization.ToString(), body, headers);
        if (_record)
        {
            _requests.Enqueue(request);
        }

        if (_wire.Validate(headers, body) is { } rejection)
        {
            _rejections.Enqueue(rejection);
            context.Response.StatusCode = rejection.StatusCode;
            await context.Response.WriteAsJsonAsync(rejection.Body);
            return;
        }

        var reply = _script.TryDequeue(out var next) ? next : _whenScriptEnds(request, number);
        // The delay counts from the request's arrival, so that the fake's own parsing does not lengthen it.
        var remaining = reply.Delay - Stopwatch.GetElapsedTime(arrived);
        if (remaining > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(remaining, context.RequestAborted);
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
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
