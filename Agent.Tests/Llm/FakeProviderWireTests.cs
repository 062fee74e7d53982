using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Agent.Tests.Llm;

/// <summary>The conformance fakes refuse what the real APIs refuse, with their error shapes, so a client bug cannot pass unseen.</summary>
public sealed class FakeProviderWireTests
{
    private static readonly JsonObject AnthropicGood = new()
    {
        ["model"] = "m",
        ["max_tokens"] = 100,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
    };

    [Fact]
    public async Task Anthropic_WithoutVersionHeader_Is400InvalidRequest()
    {
        await using var server = await FakeOpenAiServer.StartAsync(FakeWire.Anthropic);

        var (status, body) = await PostAsync(server, "/v1/messages", AnthropicGood, version: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Equal("anthropic-version: header is required", body["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Field required")]
    [InlineData("""{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]}""", "roles must alternate")]
    [InlineData("""{"model":"m","max_tokens":9,"messages":[{"role":"system","content":"s"},{"role":"user","content":"b"}]}""", "top-level `system`")]
    [InlineData("""{"model":"m","max_tokens":9,"messages":[{"role":"user","content":[{"type":"text","text":""}]}]}""", "text content blocks must be non-empty")]
    [InlineData("""{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"x","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_2","content":"r"}]}]}""", "unexpected `tool_use_id`")]
    [InlineData("""{"model":"m","max_tokens":9,"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"x","input":{}},{"type":"tool_use","id":"toolu_2","name":"x","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"r"}]}]}""", "without `tool_result` blocks")]
    public async Task Anthropic_MalformedConversation_IsRejectedAsTheRealApiDoes(string request, string expected)
    {
        await using var server = await FakeOpenAiServer.StartAsync(FakeWire.Anthropic);

        var (status, body) = await PostAsync(server, "/v1/messages", JsonNode.Parse(request)!.AsObject());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body["error"]!["message"]!.GetValue<string>());
        Assert.Single(server.Rejections);
    }

    [Fact]
    public async Task Anthropic_WithoutAnyKey_Is401AuthenticationError()
    {
        await using var server = await FakeOpenAiServer.StartAsync(FakeWire.Anthropic);

        var (status, body) = await PostAsync(server, "/v1/messages", AnthropicGood, key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_error", body["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(FakeWire.OpenAi)]
    [InlineData(FakeWire.Groq)]
    [InlineData(FakeWire.Ollama)]
    public async Task ChatCompletions_ToolMessageAnsweringNoCall_IsRejected(FakeWire wire)
    {
        await using var server = await FakeOpenAiServer.StartAsync(wire);
        var request = JsonNode.Parse("""
            {"model":"m","messages":[{"role":"user","content":"a"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"x","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_9","content":"r"}]}
            """)!.AsObject();

        var (status, body) = await PostAsync(server, "/v1/chat/completions", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("must be a response to a preceeding message with 'tool_calls'", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatCompletions_UnansweredToolCall_IsRejected()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var request = JsonNode.Parse("""
            {"model":"m","messages":[{"role":"user","content":"a"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"x","arguments":"{}"}}]},
             {"role":"user","content":"next"}]}
            """)!.AsObject();

        var (status, body) = await PostAsync(server, "/v1/chat/completions", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("did not have response messages: call_1", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Groq_NameOnAMessage_IsRejected()
    {
        await using var server = await FakeOpenAiServer.StartAsync(FakeWire.Groq);
        var request = JsonNode.Parse("""{"model":"m","messages":[{"role":"user","name":"bob","content":"a"}]}""")!.AsObject();

        var (status, body) = await PostAsync(server, "/openai/v1/chat/completions", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("'messages.0' : for 'role:user' the following must be satisfied[('messages.0.name' : property 'name' is unsupported)]",
            body["error"]!["message"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ollama_ToolCallAnswer_HasNoUsageAndFinishesWithStop()
    {
        await using var server = await FakeOpenAiServer.StartAsync(FakeWire.Ollama);
        server.Enqueue(FakeReply.Call("list_dir", "{}"));
        var request = JsonNode.Parse("""{"model":"qwen3","messages":[{"role":"user","content":"a"}]}""")!.AsObject();

        var (status, body) = await PostAsync(server, "/v1/chat/completions", request, key: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(body["usage"]);
        Assert.Equal("stop", body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("list_dir", body["choices"]![0]!["message"]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(
        FakeOpenAiServer server, string path, JsonObject body, string? version = "2023-06-01", string? key = "sk-test")
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.RootUrl + path) { Content = JsonContent.Create(body) };
        if (version is not null)
        {
            request.Headers.Add("anthropic-version", version);
        }
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
