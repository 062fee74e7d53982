using System.Globalization;
using System.Text.Json.Nodes;

namespace Agent.Testing;

/// <summary>Which real API the fake server speaks.</summary>
public enum FakeWire
{
    /// <summary>OpenAI chat completions, as api.openai.com and any OpenAI-compatible server answer them.</summary>
    OpenAi,

    /// <summary>Groq's OpenAI-compatible API: no <c>name</c> on messages, its own error codes (<c>tool_use_failed</c>).</summary>
    Groq,

    /// <summary>Ollama's OpenAI-compatible API: no usage, tool calls with <c>finish_reason: stop</c>, no key.</summary>
    Ollama,

    /// <summary>Anthropic's native Messages API (<c>POST /v1/messages</c>).</summary>
    Anthropic,
}

/// <summary>Provider errors a test can script; each wire renders them with its real status and body.</summary>
public enum FakeError
{
    None,
    Generic,
    Unauthorized,
    UnknownModel,
    RateLimited,
    Overloaded,
    ToolUseFailed,
}

/// <summary>How a scripted answer ends, rendered as each wire's own finish reason.</summary>
public enum FakeFinish
{
    /// <summary>stop / tool_calls / end_turn / tool_use, from the content.</summary>
    Natural,

    /// <summary>Cut at the output limit: length / max_tokens.</summary>
    Truncated,

    /// <summary>A refusal: OpenAI's <c>refusal</c> field, Anthropic's <c>stop_reason: refusal</c>.</summary>
    Refused,

    /// <summary>OpenAI's <c>finish_reason: content_filter</c>.</summary>
    ContentFilter,
}

/// <summary>One scripted reply: an assistant message (text and/or tool calls) or a provider error, optionally late.</summary>
public sealed record FakeReply
{
    public int StatusCode { get; init; } = 200;
    public FakeError Error { get; init; }
    public FakeFinish Finish { get; init; }
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

    /// <summary>An answer cut at the output limit, with the text written so far.</summary>
    public static FakeReply Truncated(string partial) => new() { Content = partial, Finish = FakeFinish.Truncated };

    /// <summary>The model declines, explaining why in <paramref name="refusal"/>.</summary>
    public static FakeReply Refusal(string refusal) => new() { Content = refusal, Finish = FakeFinish.Refused };

    /// <summary>An HTTP error with a generic body in the wire's error shape.</summary>
    public static FakeReply Status(int statusCode, string message = "error") => new() { StatusCode = statusCode, Error = FakeError.Generic, Content = message };

    public static FakeReply Failure(FakeError error) => new() { StatusCode = 0, Error = error };

    public static FakeReply TooManyRequests(int retryAfterSeconds) => new()
    {
        StatusCode = 429,
        Error = FakeError.RateLimited,
        Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) },
    };
}

public sealed record FakeToolCall(string Name, string Arguments, string? Id = null);

/// <summary>What the client sent: path, Authorization header, the JSON body and every header.</summary>
public sealed record RecordedRequest(string Path, string Authorization, JsonObject Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public JsonArray Tools => Body["tools"] as JsonArray ?? [];

    public JsonArray Messages => Body["messages"] as JsonArray ?? [];

    public string? Header(string name) => Headers?.GetValueOrDefault(name.ToLowerInvariant());

    /// <summary>The tools offered, by name, with their parameter schemas (OpenAI <c>function.parameters</c> or Anthropic <c>input_schema</c>).</summary>
    public IReadOnlyDictionary<string, JsonObject> ToolSchemas => Tools
        .Select(t => t?["function"] as JsonObject ?? t as JsonObject)
        .Where(f => f is not null)
        .ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["parameters"] as JsonObject ?? f!["input_schema"] as JsonObject ?? [], StringComparer.Ordinal);
}

/// <summary>A request the fake refused the way the real API would: its status, real error body, and why.</summary>
public sealed record FakeRejection(int StatusCode, JsonObject Body, string Reason);
