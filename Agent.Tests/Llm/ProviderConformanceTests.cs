using System.Diagnostics;
using Agent.Core.Runs;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Llm;

/// <summary>
/// Each remote provider through its real connector (Anthropic's SDK, Semantic Kernel's OpenAI connector) against a fake
/// speaking that provider's wire format and rejecting what it rejects. Each case checks the run, its executions and its
/// decision rows: the model that answered (a dated snapshot, not the configured name), the finish reason, the tokens.
/// </summary>
public sealed class ProviderConformanceTests
{
    private const string Snapshot = "fake-model-2026-11-01";

    public static TheoryData<string> Providers => new(["anthropic", "openai", "groq", "ollama"]);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Run_TwoStepToolConversation_ExecutesBothStepsAndRecordsEachTurn(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(
            FakeReply.Call("list_dir", """{"path":"."}""") with { Content = "Looking first.", PromptTokens = 120, CompletionTokens = 15 },
            FakeReply.Call("read_file", """{"path":"notes.txt","max_lines":1}""") with { PromptTokens = 200, CompletionTokens = 20 },
            FakeReply.Text("notes.txt starts with 'hello'.") with { PromptTokens = 260, CompletionTokens = 9 });
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings(provider, server));
        harness.WriteFile("notes.txt", "hello\nworld\n");

        var result = await harness.RunAsync("What does notes.txt start with?");

        Assert.Empty(server.Rejections);
        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal("notes.txt starts with 'hello'.", result.Output);
        Assert.Equal(["list_dir", "read_file"], result.ToolExecutions.Select(e => e.ToolName));
        Assert.All(result.ToolExecutions, e => Assert.Equal(ToolExecutionStatus.Success, e.Status));
        Assert.Equal("hello\n", result.ToolExecutions[1].Output!["content"]!.GetValue<string>());

        var decisions = await harness.DecisionsAsync(result.RunId);
        Assert.All(decisions, d => Assert.Equal(Snapshot, d["model"]));
        Assert.Equal(FinishReasons(provider, "calls", "calls", "text"), decisions.Select(d => (string?)d["finish_reason"]));
        Assert.Equal(Tokens(provider, 120, 200, 260), decisions.Select(d => (long?)d["input_tokens"]));
        Assert.Equal(Tokens(provider, 15, 20, 9), decisions.Select(d => (long?)d["output_tokens"]));
        Assert.Equal("Looking first.", decisions[0]["reasoning"]);
        var executions = await harness.ExecutionsAsync(result.RunId);
        Assert.Equal([decisions[0]["id"], decisions[1]["id"]], executions.Select(e => e["decision_id"]));
        Assert.Equal("""{"path":"notes.txt","max_lines":1}""", executions[1]["input"]);

        // Every request carried the output limit in the field the provider reads, and (Anthropic) the version and a top-level system.
        var limitField = provider is "anthropic" or "ollama" ? "max_tokens" : "max_completion_tokens";
        Assert.All(server.Requests, r => Assert.Equal(512, r.Body[limitField]?.GetValue<int>()));
        Assert.All(server.Requests, r => Assert.Single(r.Body, p => p.Key.StartsWith("max_", StringComparison.Ordinal)));
        if (provider == "anthropic")
        {
            Assert.All(server.Requests, r => Assert.NotNull(r.Header("anthropic-version")));
            Assert.All(server.Requests, r => Assert.Equal("/v1/messages", r.Path));
            Assert.All(server.Requests, r => Assert.NotNull(r.Body["system"]));
        }
        else
        {
            Assert.All(server.Requests, r => Assert.Equal("/v1/chat/completions", r.Path));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Run_TwoParallelCallsInOneTurn_RunsBothAndAnswersBothIdsTogether(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(
            FakeReply.Calls(new FakeToolCall("list_dir", """{"path":"."}"""), new FakeToolCall("read_file", """{"path":"notes.txt"}""")),
            FakeReply.Text("One file, saying hello."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings(provider, server));
        harness.WriteFile("notes.txt", "hello\n");

        var result = await harness.RunAsync("List the files and read notes.txt");

        Assert.Empty(server.Rejections);
        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal(["list_dir", "read_file"], result.ToolExecutions.Select(e => e.ToolName));
        var decisions = await harness.DecisionsAsync(result.RunId);
        Assert.Equal(2, decisions.Count);
        var executions = await harness.ExecutionsAsync(result.RunId);
        Assert.All(executions, e => Assert.Equal(decisions[0]["id"], e["decision_id"]));
        Assert.Equal(FinishReasons(provider, "calls", "text"), decisions.Select(d => (string?)d["finish_reason"]));

        var followUp = server.Requests[1].Messages;
        if (provider == "anthropic")
        {
            // Both results travel in one user turn, right after the assistant turn that asked for them.
            var results = followUp[^1]!["content"]!.AsArray();
            Assert.Equal("user", followUp[^1]!["role"]!.GetValue<string>());
            Assert.Equal(["tool_result", "tool_result"], results.Select(b => b!["type"]!.GetValue<string>()));
        }
        else
        {
            Assert.Equal(2, followUp.Count(m => m!["role"]!.GetValue<string>() == "tool"));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Run_ModelRefuses_EndsAsErrorAndKeepsTheRefusalInTheDecision(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.Refusal("I can't help with deleting other people's files."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings(provider, server));

        var result = await harness.RunAsync("Delete everyone's files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Null(result.Output);
        Assert.StartsWith("The model refused to answer", result.Error);
        Assert.Contains("I can't help with deleting other people's files.", result.Error);
        Assert.Empty(result.ToolExecutions);
        var decision = Assert.Single(await harness.DecisionsAsync(result.RunId));
        Assert.Equal("I can't help with deleting other people's files.", decision["reasoning"]);
        Assert.Equal(provider == "anthropic" ? "refusal" : "stop", decision["finish_reason"]);
        Assert.Equal(Snapshot, decision["model"]);
        var request = await harness.RequestAsync(result.RunId);
        Assert.Equal("error", request["status"]);
        Assert.Equal(result.Error, request["error"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Run_AnswerCutAtTheTokenLimit_EndsAsErrorNamingLlmMaxTokens(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.Truncated("The workspace holds the following files: a.txt, b.txt, and") with { CompletionTokens = 512 });
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings(provider, server));

        var result = await harness.RunAsync("Describe the workspace at length");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Null(result.Output);
        Assert.StartsWith("Output limit: the model's answer was cut off at 512 tokens (LLM_MAX_TOKENS", result.Error);
        var decision = Assert.Single(await harness.DecisionsAsync(result.RunId));
        Assert.Equal(provider == "anthropic" ? "max_tokens" : "length", decision["finish_reason"]);
        Assert.Equal(provider == "ollama" ? null : 512L, decision["output_tokens"]);
        Assert.Equal("The workspace holds the following files: a.txt, b.txt, and", decision["reasoning"]);
        Assert.Equal("error", (await harness.RequestAsync(result.RunId))["status"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Run_TooManyRequestsWithRetryAfter_WaitsAsToldThenSucceeds(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.TooManyRequests(retryAfterSeconds: 1), FakeReply.Text("Done after waiting."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings(provider, server));
        var clock = Stopwatch.StartNew();

        var result = await harness.RunAsync("Say something");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal("Done after waiting.", result.Output);
        Assert.Equal(2, server.Requests.Count);
        // The backoff is 10 ms, so only Retry-After explains a wait of about a second.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.ElapsedMilliseconds} ms");
        var decision = Assert.Single(await harness.DecisionsAsync(result.RunId));
        Assert.Equal(FinishReasons(provider, "text")[0], decision["finish_reason"]);
        Assert.Empty(result.ToolExecutions);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Run_OverloadedUntilRetriesRunOut_EndsAsErrorNamingTheStatusAndAttempts(string provider)
    {
        await using var server = await StartAsync(provider);
        server.WhenScriptEnds(FakeReply.Failure(FakeError.Overloaded));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings(provider, server));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal(3, server.Requests.Count);
        var status = provider == "anthropic" ? "HTTP 529" : "HTTP 503";
        Assert.StartsWith($"LLM request failed: the {provider} provider answered {status}", result.Error);
        Assert.Contains("after 3 attempt(s)", result.Error);
        Assert.Contains(provider switch { "anthropic" => "Overloaded", "ollama" => "server busy", "groq" => "Service Unavailable", _ => "overloaded" }, result.Error);
        Assert.Empty(result.ToolExecutions);
        Assert.Empty(await harness.DecisionsAsync(result.RunId));
        Assert.Equal("error", (await harness.RequestAsync(result.RunId))["status"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Run_KeyRefused_EndsAsErrorSayingToCheckTheKeyWithoutRetrying(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.Failure(FakeError.Unauthorized), FakeReply.Text("unreached"));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings(provider, server));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal($"LLM request failed: the {provider} provider refused the credentials (HTTP 401); check LLM_API_KEY.", result.Error);
        Assert.Single(server.Requests);
        Assert.Empty(await harness.DecisionsAsync(result.RunId));
        Assert.Empty(await harness.ExecutionsAsync(result.RunId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Run_UnknownModel_EndsAsErrorNamingLlmModel(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.Failure(FakeError.UnknownModel), FakeReply.Text("unreached"));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings(provider, server));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.StartsWith($"LLM request failed: the {provider} provider does not know model 'fake-model' (HTTP 404: ", result.Error);
        Assert.EndsWith("; set LLM_MODEL to a current model.", result.Error);
        Assert.Single(server.Requests);
        Assert.Empty(await harness.DecisionsAsync(result.RunId));
        Assert.Empty(await harness.ExecutionsAsync(result.RunId));
    }

    [Fact]
    public async Task Run_GroqToolUseFailedOnce_IsAskedAgainAndSucceeds()
    {
        await using var server = await StartAsync("groq");
        server.Enqueue(FakeReply.Failure(FakeError.ToolUseFailed), FakeReply.Call("list_dir", """{"path":"."}"""), FakeReply.Text("Empty."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings("groq", server));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, (await harness.DecisionsAsync(result.RunId)).Count);
        Assert.Single(result.ToolExecutions);
    }

    [Fact]
    public async Task Run_GroqToolUseFailedTwice_EndsAsErrorWithTheProvidersMessage()
    {
        await using var server = await StartAsync("groq");
        server.Enqueue(FakeReply.Failure(FakeError.ToolUseFailed), FakeReply.Failure(FakeError.ToolUseFailed), FakeReply.Text("unreached"));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings("groq", server));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal(
            "LLM request failed: the groq provider could not produce a valid tool call twice (tool_use_failed): " +
            "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details.",
            result.Error);
        Assert.Equal(2, server.Requests.Count);
        Assert.Empty(await harness.DecisionsAsync(result.RunId));
    }

    [Fact]
    public async Task Run_OpenAiContentFilter_EndsAsErrorAsARefusal()
    {
        await using var server = await StartAsync("openai");
        server.Enqueue(new FakeReply { Content = "", Finish = FakeFinish.ContentFilter });
        await using var harness = await AgentHarness.StartAsync(AgentHarness.ProviderSettings("openai", server));

        var result = await harness.RunAsync("Something the filter stops");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("The model refused to answer (finish reason 'content_filter').", result.Error);
        Assert.Equal("content_filter", Assert.Single(await harness.DecisionsAsync(result.RunId))["finish_reason"]);
    }

    private static async Task<FakeOpenAiServer> StartAsync(string provider)
    {
        var server = await FakeOpenAiServer.StartAsync(provider switch
        {
            "anthropic" => FakeWire.Anthropic,
            "groq" => FakeWire.Groq,
            "ollama" => FakeWire.Ollama,
            _ => FakeWire.OpenAi,
        });
        server.AnsweredModel = Snapshot;
        return server;
    }

    /// <summary>The finish reason each wire reports for a turn with tool calls or a text answer (Ollama says "stop" for both).</summary>
    private static string?[] FinishReasons(string provider, params string[] turns) => turns.Select(turn => (provider, turn) switch
    {
        ("anthropic", "calls") => "tool_use",
        ("anthropic", _) => "end_turn",
        ("ollama", _) => "stop",
        (_, "calls") => "tool_calls",
        _ => "stop",
    }).ToArray<string?>();

    /// <summary>Ollama's OpenAI-compatible answers carry no usage.</summary>
    private static long?[] Tokens(string provider, params long[] counts) =>
        provider == "ollama" ? counts.Select(_ => (long?)null).ToArray() : counts.Select(c => (long?)c).ToArray();
}
