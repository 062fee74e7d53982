using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agent.Testing;

/// <summary>
/// OpenAI chat completions as OpenAI, Groq and Ollama answer them, each rejecting what it really rejects: a <c>tool</c>
/// message that answers no <c>tool_call_id</c> of the assistant message before it, an assistant's tool call left
/// unanswered, and on Groq a <c>name</c> on any message.
/// </summary>
internal sealed class ChatCompletionsWire(FakeWire dialect) : IFakeWire
{
    private int _callIds;

    public bool Handles(string path) => path is "/v1/chat/completions" or "/chat/completions" or "/openai/v1/chat/completions";

    public FakeRejection? Validate(IReadOnlyDictionary<string, string> headers, JsonObject body)
    {
        if (body["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String)
        {
            return Invalid("you must provide a model parameter", "model");
        }
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return Invalid("'messages' must contain at least one message", "messages");
        }
        if (dialect == FakeWire.Groq)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                if (messages[i] is JsonObject message && message.ContainsKey("name"))
                {
                    var role = message["role"]?.GetValue<string>();
                    return Invalid($"'messages.{i}' : for 'role:{role}' the following must be satisfied[('messages.{i}.name' : property 'name' is unsupported)]", null);
                }
            }
        }
        HashSet<string>? awaited = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] as JsonObject ?? [];
            var role = message["role"]?.GetValue<string>();
            if (role == "tool")
            {
                var id = message["tool_call_id"]?.GetValue<string>();
                if (awaited is null || id is null || !awaited.Remove(id))
                {
                    return Invalid("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", $"messages.[{i}].role");
                }
                continue;
            }
            if (awaited is { Count: > 0 })
            {
                return Invalid(
                    "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
                    $"The following tool_call_ids did not have response messages: {string.Join(", ", awaited)}", $"messages.[{i}].role");
            }
            awaited = role == "assistant" && message["tool_calls"] is JsonArray calls
                ? calls.Select(c => c?["id"]?.GetValue<string>() ?? "").ToHashSet(StringComparer.Ordinal)
                : null;
        }
        return null;
    }

    public (int StatusCode, JsonObject Body) RenderError(FakeReply reply, string model) => (reply.Error, dialect) switch
    {
        (FakeError.Unauthorized, FakeWire.Groq) => (401, Error("Invalid API Key", "invalid_request_error", "invalid_api_key")),
        (FakeError.Unauthorized, FakeWire.Ollama) => (401, Error("unauthorized", "api_error", null)),
        (FakeError.Unauthorized, _) => (401, Error("Incorrect API key provided: sk-tes****-key. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key")),
        (FakeError.UnknownModel, FakeWire.Ollama) => (404, Error($"model \"{model}\" not found, try pulling it first", "api_error", null)),
        (FakeError.UnknownModel, _) => (404, Error($"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found")),
        (FakeError.RateLimited, FakeWire.Groq) => (429, Error($"Rate limit reached for model `{model}` in organization `org_fake` service tier `on_demand` on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 1s.", "requests", "rate_limit_exceeded")),
        (FakeError.RateLimited, _) => (429, Error($"Rate limit reached for {model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.", "requests", "rate_limit_exceeded")),
        (FakeError.Overloaded, FakeWire.Groq) => (503, Error("Service Unavailable", "internal_server_error", null)),
        (FakeError.Overloaded, FakeWire.Ollama) => (503, Error("server busy, please try again.  maximum pending requests exceeded", "api_error", null)),
        (FakeError.Overloaded, _) => (503, Error("The server is overloaded or not ready yet.", "server_error", null)),
        (FakeError.ToolUseFailed, _) => (400, ToolUseFailed()),
        _ => (reply.StatusCode, Error(reply.Content ?? "error", reply.StatusCode == 429 ? "rate_limit_exceeded" : "server_error", null)),
    };

    public JsonObject RenderAnswer(FakeReply reply, string model)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content };
        if (dialect == FakeWire.OpenAi)
        {
            message["refusal"] = null;
        }
        if (reply.Finish == FakeFinish.Refused)
        {
            // A refusal is its own field, the content empty (OpenAI's structured refusal).
            message["content"] = null;
            message["refusal"] = reply.Content;
        }
        if (reply.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(reply.ToolCalls.Select(call => (JsonNode)new JsonObject
            {
                ["id"] = call.Id ?? $"call_{Interlocked.Increment(ref _callIds)}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
            }).ToArray());
        }
        var finish = reply.Finish switch
        {
            FakeFinish.Truncated => "length",
            FakeFinish.ContentFilter => "content_filter",
            // Ollama ends a turn with tool calls as "stop".
            _ when reply.ToolCalls.Count > 0 && dialect != FakeWire.Ollama => "tool_calls",
            _ => "stop",
        };
        var completion = new JsonObject
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
                ["finish_reason"] = finish,
            }),
        };
        if (dialect != FakeWire.Ollama)
        {
            var usage = new JsonObject
            {
                ["prompt_tokens"] = reply.PromptTokens,
                ["completion_tokens"] = reply.CompletionTokens,
                ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens,
            };
            if (dialect == FakeWire.Groq)
            {
                usage["queue_time"] = 0.01;
                usage["prompt_time"] = 0.002;
                usage["completion_time"] = 0.03;
                usage["total_time"] = 0.032;
                completion["x_groq"] = new JsonObject { ["id"] = $"req_{Guid.NewGuid():N}" };
            }
            completion["usage"] = usage;
        }
        return completion;
    }

    private FakeRejection Invalid(string message, string? param) =>
        new(400, Error(message, "invalid_request_error", null, param), message);

    private static JsonObject ToolUseFailed() => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details.",
            ["type"] = "invalid_request_error",
            ["code"] = "tool_use_failed",
            ["failed_generation"] = "<function=list_dir>{\"path\": \".\"</function>",
        },
    };

    private JsonObject Error(string message, string type, string? code, string? param = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type };
        if (dialect != FakeWire.Groq)
        {
            (error["param"], error["code"]) = (param, code);
        }
        else if (code is not null)
        {
            error["code"] = code;
        }
        return new JsonObject { ["error"] = error };
    }
}
