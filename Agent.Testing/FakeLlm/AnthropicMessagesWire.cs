using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agent.Testing;

/// <summary>
/// Anthropic's native Messages API, rejecting what it rejects: no <c>anthropic-version</c> header, no key, no
/// <c>max_tokens</c>, a <c>system</c> role among the messages, roles that do not alternate starting with <c>user</c>, empty
/// text, a <c>tool_result</c> that answers no <c>tool_use</c> of the previous assistant turn, and a <c>tool_use</c> left
/// unanswered in the next user turn.
/// </summary>
internal sealed class AnthropicMessagesWire : IFakeWire
{
    private int _toolIds;

    public bool Handles(string path) => path is "/v1/messages";

    public FakeRejection? Validate(IReadOnlyDictionary<string, string> headers, JsonObject body)
    {
        if (!headers.ContainsKey("anthropic-version"))
        {
            return Invalid("anthropic-version: header is required");
        }
        var hasKey = headers.TryGetValue("x-api-key", out var key) && key.Length > 0
            || headers.TryGetValue("authorization", out var bearer) && bearer.StartsWith("Bearer ", StringComparison.Ordinal) && bearer.Length > 7;
        if (!hasKey)
        {
            return new(401, Error("authentication_error", "x-api-key header is required"), "no credential");
        }
        if (body["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String)
        {
            return Invalid("model: Field required");
        }
        if (body["max_tokens"] is not JsonValue maxTokens || maxTokens.GetValueKind() != JsonValueKind.Number || maxTokens.GetValue<int>() < 1)
        {
            return Invalid("max_tokens: Field required");
        }
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return Invalid("messages: Field required");
        }

        string? previousRole = null;
        HashSet<string> awaited = [];
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] as JsonObject ?? [];
            var role = message["role"]?.GetValue<string>();
            if (role is not ("user" or "assistant"))
            {
                return Invalid($"messages.{i}.role: Input should be 'user' or 'assistant' (a system prompt goes in the top-level `system` parameter)");
            }
            if (i == 0 && role != "user")
            {
                return Invalid("messages: first message must use the \"user\" role");
            }
            if (role == previousRole)
            {
                return Invalid($"messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"{role}\" roles in a row");
            }
            previousRole = role;

            var blocks = message["content"] switch
            {
                JsonArray array => array.OfType<JsonObject>().ToList(),
                JsonValue text when text.GetValueKind() == JsonValueKind.String =>
                    [new JsonObject { ["type"] = "text", ["text"] = text.GetValue<string>() }],
                _ => [],
            };
            if (blocks.Count == 0)
            {
                return Invalid($"messages.{i}: all messages must have non-empty content except for the optional final assistant message");
            }
            for (var b = 0; b < blocks.Count; b++)
            {
                var type = blocks[b]["type"]?.GetValue<string>();
                if (type == "text" && string.IsNullOrEmpty(blocks[b]["text"]?.GetValue<string>()))
                {
                    return Invalid($"messages.{i}.content.{b}.text: text content blocks must be non-empty");
                }
                if (type == "tool_result")
                {
                    var id = blocks[b]["tool_use_id"]?.GetValue<string>() ?? "";
                    if (role != "user" || !awaited.Remove(id))
                    {
                        return Invalid($"messages.{i}.content.{b}: unexpected `tool_use_id` found in `tool_result` blocks: {id}. " +
                            "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                    }
                }
            }
            if (role == "user" && awaited.Count > 0)
            {
                return Invalid($"messages.{i}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", awaited)}. " +
                    "Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
            }
            if (role == "assistant")
            {
                awaited = blocks.Where(b => b["type"]?.GetValue<string>() == "tool_use")
                    .Select(b => b["id"]?.GetValue<string>() ?? "").ToHashSet(StringComparer.Ordinal);
            }
        }
        return null;
    }

    public (int StatusCode, JsonObject Body) RenderError(FakeReply reply, string model) => reply.Error switch
    {
        FakeError.Unauthorized => (401, Error("authentication_error", "invalid x-api-key")),
        FakeError.UnknownModel => (404, Error("not_found_error", $"model: {model}")),
        FakeError.RateLimited => (429, Error("rate_limit_error",
            "This request would exceed your organization's rate limit of 50 requests per minute. Please try again later.")),
        FakeError.Overloaded => (529, Error("overloaded_error", "Overloaded")),
        _ => (reply.StatusCode, Error(reply.StatusCode >= 500 ? "api_error" : "invalid_request_error", reply.Content ?? "error")),
    };

    public JsonObject RenderAnswer(FakeReply reply, string model)
    {
        var content = new JsonArray();
        if (!string.IsNullOrEmpty(reply.Content))
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = reply.Content });
        }
        foreach (var call in reply.ToolCalls)
        {
            content.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = call.Id ?? $"toolu_{Interlocked.Increment(ref _toolIds):D4}",
                ["name"] = call.Name,
                // The Messages API only ever sends an object here.
                ["input"] = JsonNode.Parse(call.Arguments) as JsonObject ?? [],
            });
        }
        return new JsonObject
        {
            ["id"] = $"msg_{Guid.NewGuid():N}",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = reply.Finish switch
            {
                FakeFinish.Truncated => "max_tokens",
                FakeFinish.Refused or FakeFinish.ContentFilter => "refusal",
                _ when reply.ToolCalls.Count > 0 => "tool_use",
                _ => "end_turn",
            },
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = reply.PromptTokens,
                ["cache_creation_input_tokens"] = 0,
                ["cache_read_input_tokens"] = 0,
                ["output_tokens"] = reply.CompletionTokens,
            },
        };
    }

    private static FakeRejection Invalid(string message) => new(400, Error("invalid_request_error", message), message);

    private static JsonObject Error(string type, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        ["request_id"] = $"req_{Guid.NewGuid():N}",
    };
}
