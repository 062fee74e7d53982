using System.Diagnostics;
using System.Text.Json.Nodes;
using Agent.Core.Runs;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Runs;

/// <summary>The orchestrator over Semantic Kernel's OpenAI connector, against a fake server speaking the real wire format.</summary>
public sealed class AgentRunnerProviderTests
{
    [Fact]
    public async Task RunAsync_TwoStepToolConversation_ExecutesEachCallAndAuditsEveryTurn()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(
            FakeReply.Call("list_dir", """{"path":"."}""") with { Content = "Let me look around first.", PromptTokens = 120, CompletionTokens = 15 },
            FakeReply.Call("read_file", """{"path":"notes.txt","max_lines":1}""") with { PromptTokens = 200, CompletionTokens = 20 },
            FakeReply.Text("notes.txt starts with 'hello'.") with { PromptTokens = 260, CompletionTokens = 9 });
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));
        harness.WriteFile("notes.txt", "hello\nworld\n");

        var result = await harness.RunAsync("What does notes.txt start with?");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal("notes.txt starts with 'hello'.", result.Output);
        Assert.Null(result.Error);
        Assert.Equal(["list_dir", "read_file"], result.ToolExecutions.Select(e => e.ToolName));
        Assert.All(result.ToolExecutions, e => Assert.Equal(ToolExecutionStatus.Success, e.Status));
        Assert.Equal("hello\n", result.ToolExecutions[1].Output!["content"]!.GetValue<string>());

        // The results went back to the model as tool messages answering the calls' ids.
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("Bearer sk-test-key", r.Authorization));
        var lastMessages = server.Requests[2].Messages;
        var toolMessages = lastMessages.Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
        Assert.Equal(2, toolMessages.Count);
        Assert.Contains("hello", toolMessages[1]!["content"]!.GetValue<string>());
        var assistantCalls = lastMessages.Where(m => m!["tool_calls"] is JsonArray).Select(m => m!["tool_calls"]![0]!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(assistantCalls, toolMessages.Select(m => m!["tool_call_id"]!.GetValue<string>()));

        var request = await harness.RequestAsync(result.RunId);
        Assert.Equal("success", request["status"]);
        Assert.Equal(result.Output, request["output"]);
        var decisions = await harness.DecisionsAsync(result.RunId);
        Assert.Equal([1L, 2L, 3L], decisions.Select(d => (long)d["step"]!));
        Assert.Equal([120L, 200L, 260L], decisions.Select(d => (long)d["input_tokens"]!));
        Assert.Equal([15L, 20L, 9L], decisions.Select(d => (long)d["output_tokens"]!));
        Assert.All(decisions, d => Assert.Equal(FakeOpenAiServer.ModelName, d["model"]));
        Assert.Equal("Let me look around first.", decisions[0]["reasoning"]);
        var selected = JsonNode.Parse((string)decisions[1]["selected_tools"]!)!.AsArray();
        Assert.Equal("read_file", selected[0]!["name"]!.GetValue<string>());
        Assert.Equal(1, selected[0]!["arguments"]!["max_lines"]!.GetValue<int>());
        Assert.Equal("[]", decisions[2]["selected_tools"]);
        var executions = await harness.ExecutionsAsync(result.RunId);
        Assert.Equal([decisions[0]["id"], decisions[1]["id"]], executions.Select(e => e["decision_id"]));
        Assert.All(executions, e => Assert.Equal("success", e["status"]));
    }

    [Fact]
    public async Task RunAsync_ToolDefinitionsOnTheWire_CarryPlainNamesAndTheToolsJsonSchemas()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Text("Nothing to do."));
        var network = new NetworkTestTool();
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server),
            services => services.AddSingleton<IAgentTool>(network));

        await harness.RunAsync("Describe your tools");

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal(FakeOpenAiServer.ModelName, request.Body["model"]!.GetValue<string>());
        Assert.Equal("auto", request.Body["tool_choice"]!.GetValue<string>());
        // An unknown OpenAI-compatible server gets the output limit in both the current and the legacy field.
        Assert.Equal(4096, request.Body["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(4096, request.Body["max_tokens"]!.GetValue<int>());
        var schemas = request.ToolSchemas;
        // Tools needing a blocked permission (network: http_get and the test tool; execute: run_command) are not offered at all.
        Assert.Equal(["health_check", "list_dir", "read_file", "search_files", "write_file"], schemas.Keys.Order(StringComparer.Ordinal));
        var readFile = schemas["read_file"];
        Assert.Equal("object", readFile["type"]!.GetValue<string>());
        Assert.Equal(["path"], readFile["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        var maxLines = readFile["properties"]!["max_lines"]!.AsObject();
        Assert.Equal("integer", maxLines["type"]!.GetValue<string>());
        Assert.Equal(1, maxLines["minimum"]!.GetValue<double>());
        Assert.Equal(1000, maxLines["maximum"]!.GetValue<double>());
        Assert.Equal("string", readFile["properties"]!["path"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("$schema", request.Tools.ToJsonString());
        var description = request.Tools.Select(t => t!["function"]!).Single(f => f["name"]!.GetValue<string>() == "list_dir")["description"];
        Assert.Equal("List files and directories in a path within the workspace.", description!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_ArgumentsSentAsStrings_AreTypedByTheToolSchemaBeforeValidation()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Call("read_file", """{"path":"notes.txt","max_lines":"2"}"""), FakeReply.Text("Read it."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));
        harness.WriteFile("notes.txt", "one\ntwo\nthree\n");

        var result = await harness.RunAsync("Read the first two lines of notes.txt");

        Assert.Equal(RunStatus.Success, result.Status);
        var execution = Assert.Single(result.ToolExecutions);
        Assert.Equal(ToolExecutionStatus.Success, execution.Status);
        Assert.Equal(2, execution.Output!["line_count"]!.GetValue<int>());
        Assert.Equal("""{"path":"notes.txt","max_lines":2}""", execution.Input!.ToJsonString());
        var row = Assert.Single(await harness.ExecutionsAsync(result.RunId));
        Assert.Equal("""{"path":"notes.txt","max_lines":2}""", row["input"]);
    }

    [Fact]
    public async Task RunAsync_TooManyRequestsWithRetryAfter_WaitsAsToldAndSucceeds()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.TooManyRequests(retryAfterSeconds: 1), FakeReply.Text("Done after waiting."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));
        var clock = Stopwatch.StartNew();

        var result = await harness.RunAsync("Say something");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal("Done after waiting.", result.Output);
        Assert.Equal(2, server.Requests.Count);
        // The configured backoff is 10 ms, so only the Retry-After header explains a wait of about a second.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.ElapsedMilliseconds} ms");
        Assert.Single(await harness.DecisionsAsync(result.RunId));
    }

    [Fact]
    public async Task RunAsync_ServerErrorsUntilRetriesRunOut_EndsAsErrorNamingTheStatus()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.WhenScriptEnds(FakeReply.Status(500, "upstream exploded"));
        var settings = AgentHarness.RemoteSettings(server);
        settings["Llm:MaxRetries"] = "2";
        await using var harness = await AgentHarness.StartAsync(settings);

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal(3, server.Requests.Count);
        Assert.StartsWith("LLM request failed:", result.Error);
        Assert.Contains("HTTP 500", result.Error);
        Assert.Contains("3 attempt(s)", result.Error);
        Assert.Empty(result.ToolExecutions);
        var request = await harness.RequestAsync(result.RunId);
        Assert.Equal("error", request["status"]);
        Assert.Equal(result.Error, request["error"]);
        Assert.NotNull(request["completed_at"]);
        Assert.Empty(await harness.DecisionsAsync(result.RunId));
    }

    [Fact]
    public async Task RunAsync_ServerErrorThenSuccess_RecoversWithinTheRetries()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Status(503), FakeReply.Status(502), FakeReply.Text("Recovered."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));

        var result = await harness.RunAsync("Say something");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal("Recovered.", result.Output);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task RunAsync_ClientErrorFromProvider_IsNotRetriedAndQuotesTheProvider()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Status(400, "The model 'fake-model' does not support tools."), FakeReply.Text("unreached"));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal(
            "LLM request failed: the openai-compatible provider answered HTTP 400 (BadRequest): The model 'fake-model' does not support tools.",
            result.Error);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task RunAsync_ProviderRejectsTheKey_SaysToCheckTheKeyWithoutEchoingTheProvider()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Status(401, "Incorrect API key provided: sk-tes****-key"));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("LLM request failed: the openai-compatible provider refused the credentials (HTTP 401); check LLM_API_KEY.", result.Error);
        Assert.DoesNotContain("sk-", (string)(await harness.RequestAsync(result.RunId))["error"]!);
    }

    [Fact]
    public async Task RunAsync_ProviderUnreachable_EndsAsErrorAfterTheRetries()
    {
        string deadUrl;
        await using (var gone = await FakeOpenAiServer.StartAsync())
        {
            deadUrl = gone.BaseUrl;
        }
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(deadUrl));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.StartsWith("LLM request failed: the openai-compatible provider could not be reached after 3 attempt(s)", result.Error);
        Assert.Equal("error", (await harness.RequestAsync(result.RunId))["status"]);
    }

    [Fact]
    public async Task RunAsync_NoRetriesConfigured_FailsOnTheFirstServerError()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Status(500), FakeReply.Text("would have recovered"));
        var settings = AgentHarness.RemoteSettings(server);
        settings["Llm:MaxRetries"] = "0";
        await using var harness = await AgentHarness.StartAsync(settings);

        var result = await harness.RunAsync("Say something");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Contains("HTTP 500", result.Error);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task RunAsync_AttemptTimesOut_IsRetriedWithinTheCallDeadline()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Text("stuck") with { Delay = TimeSpan.FromSeconds(20) }, FakeReply.Text("Second attempt answered."));
        var settings = AgentHarness.RemoteSettings(server);
        settings["Llm:AttemptTimeout"] = "1";
        settings["Llm:RequestTimeout"] = "15";
        var time = FakeTimeExtensions.StartingNow();
        await using var harness = await AgentHarness.StartAsync(settings, services => services.AddSingleton<TimeProvider>(time));
        var started = time.GetUtcNow();

        var running = harness.RunAsync("Say something");
        await Eventually.UntilAsync(() => server.Requests.Count == 1, TimeSpan.FromSeconds(20), "the first attempt to reach the server");
        time.Advance(TimeSpan.FromSeconds(1));
        await time.AdvanceUntilAsync(() => server.Requests.Count == 2, TimeSpan.FromMilliseconds(50), "the retry to reach the server");
        var result = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal("Second attempt answered.", result.Output);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(time.GetUtcNow() - started < TimeSpan.FromSeconds(15), "the retry came after LLM_TIMEOUT");
    }

    [Fact]
    public async Task RunAsync_SlowReply_EndsAsErrorNamingTheLlmTimeout()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.WhenScriptEnds(FakeReply.Text("too late") with { Delay = TimeSpan.FromSeconds(20) });
        var settings = AgentHarness.RemoteSettings(server);
        settings["Llm:RequestTimeout"] = "1";
        var time = FakeTimeExtensions.StartingNow();
        await using var harness = await AgentHarness.StartAsync(settings, services => services.AddSingleton<TimeProvider>(time));

        var running = harness.RunAsync("List the files");
        await Eventually.UntilAsync(() => server.Requests.Count == 1, TimeSpan.FromSeconds(20), "the call to reach the server");
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(await Eventually.TryUntilAsync(() => running.IsCompleted, TimeSpan.FromMilliseconds(100)), "the call ended before LLM_TIMEOUT");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("LLM timeout: the model did not answer within 1 s (LLM_TIMEOUT).", result.Error);
        Assert.Equal("error", (await harness.RequestAsync(result.RunId))["status"]);
    }

    [Fact]
    public async Task RunAsync_EveryAttemptTimesOut_EndsAsErrorNamingTheAttemptTimeout()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.WhenScriptEnds(FakeReply.Text("too late") with { Delay = TimeSpan.FromSeconds(20) });
        var settings = AgentHarness.RemoteSettings(server);
        settings["Llm:AttemptTimeout"] = "1";
        settings["Llm:MaxRetries"] = "1";
        var time = FakeTimeExtensions.StartingNow();
        await using var harness = await AgentHarness.StartAsync(settings, services => services.AddSingleton<TimeProvider>(time));

        var running = harness.RunAsync("List the files");
        await Eventually.UntilAsync(() => server.Requests.Count == 1, TimeSpan.FromSeconds(20), "the first attempt to reach the server");
        time.Advance(TimeSpan.FromSeconds(1));
        await time.AdvanceUntilAsync(() => server.Requests.Count == 2, TimeSpan.FromMilliseconds(50), "the retry to reach the server");
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("LLM timeout: each of 2 attempt(s) exceeded 1 s (Llm:AttemptTimeout).", result.Error);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task RunAsync_MalformedArguments_AreFedBackAsInvalidInputInsteadOfCrashing()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(
            FakeReply.Call("read_file", """{"path": "notes.txt", max_lines: }"""),
            FakeReply.Text("My arguments were broken; giving up."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));

        var result = await harness.RunAsync("Read notes.txt");

        Assert.Equal(RunStatus.ToolError, result.Status);
        Assert.Equal("My arguments were broken; giving up.", result.Output);
        var execution = Assert.Single(result.ToolExecutions);
        Assert.Equal("read_file", execution.ToolName);
        Assert.Equal(ToolExecutionStatus.InvalidInput, execution.Status);
        Assert.Contains("not valid JSON", execution.Error);
        var fedBack = server.Requests[1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Equal("invalid_input", JsonNode.Parse(fedBack)!["status"]!.GetValue<string>());
        var row = Assert.Single(await harness.ExecutionsAsync(result.RunId));
        Assert.Equal("invalid_input", row["status"]);
        Assert.Equal("tool_error", (await harness.RequestAsync(result.RunId))["status"]);
    }

    [Fact]
    public async Task RunAsync_UnknownToolNames_AreRefusedAndRecordedUnderTheNameTheModelUsed()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(
            FakeReply.Calls(new FakeToolCall("delete_everything", "{}"), new FakeToolCall("shell-exec", """{"command":"rm -rf /"}""")),
            FakeReply.Text("Those tools do not exist."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));

        var result = await harness.RunAsync("Clean up everything");

        Assert.Equal(RunStatus.ToolError, result.Status);
        Assert.Equal(["delete_everything", "shell-exec"], result.ToolExecutions.Select(e => e.ToolName));
        Assert.All(result.ToolExecutions, e => Assert.Equal(ToolExecutionStatus.UnknownTool, e.Status));
        var rows = await harness.ExecutionsAsync(result.RunId);
        Assert.Equal(["delete_everything", "shell-exec"], rows.Select(r => r["tool_name"]));
        Assert.All(rows, r => Assert.Equal("unknown_tool", r["status"]));
        Assert.Equal("""{"command":"rm -rf /"}""", rows[1]["input"]);
        var selected = JsonNode.Parse((string)(await harness.DecisionsAsync(result.RunId))[0]["selected_tools"]!)!.AsArray();
        Assert.Equal(["delete_everything", "shell-exec"], selected.Select(s => s!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RunAsync_EndlessToolCalls_StopAtTheStepLimit()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.WhenScriptEnds(FakeReply.Call("list_dir", "{}"));
        var settings = AgentHarness.RemoteSettings(server);
        settings["Agent:MaxSteps"] = "3";
        await using var harness = await AgentHarness.StartAsync(settings);

        var result = await harness.RunAsync("Keep listing forever");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("Step limit reached: the model did not finish within 3 steps (MAX_STEPS).", result.Error);
        Assert.Null(result.Output);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(3, result.ToolExecutions.Count);
        Assert.Equal(3, (await harness.DecisionsAsync(result.RunId)).Count);
        Assert.Equal(3, (await harness.ExecutionsAsync(result.RunId)).Count);
        var request = await harness.RequestAsync(result.RunId);
        Assert.Equal("error", request["status"]);
        Assert.Equal(result.Error, request["error"]);
    }

    [Fact]
    public async Task RunAsync_BlockedToolRequested_IsRefusedWithoutRunning()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Call("fetch_url", """{"url":"https://example.com"}"""), FakeReply.Text("I may not use the network."));
        var network = new NetworkTestTool();
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server),
            services => services.AddSingleton<IAgentTool>(network));

        var result = await harness.RunAsync("Fetch https://example.com");

        Assert.Equal(RunStatus.ToolError, result.Status);
        var execution = Assert.Single(result.ToolExecutions);
        Assert.Equal(ToolExecutionStatus.Blocked, execution.Status);
        Assert.Contains("network", execution.Error);
        Assert.Equal(0, network.Executions);
        var row = Assert.Single(await harness.ExecutionsAsync(result.RunId));
        Assert.Equal("fetch_url", row["tool_name"]);
        Assert.Equal("blocked", row["status"]);
    }

    [Fact]
    public async Task RunAsync_ToolRun_PublishesEventsInOrder()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Call("list_dir", """{"path":"."}"""), FakeReply.Text("The workspace is empty."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));

        var result = await harness.RunAsync("List the files");

        Assert.Equal(
            [RunEventTypes.RunStarted, RunEventTypes.Decision, RunEventTypes.ToolStarted, RunEventTypes.ToolCompleted, RunEventTypes.Decision, RunEventTypes.RunFinished],
            harness.Events.TypesFor(result.RunId));
        var events = harness.Events.All.Where(e => e.RunId == result.RunId).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.Sequence));
        Assert.Equal("list_dir", Assert.IsType<ToolStartedData>(events[2].Data).ToolName);
        Assert.Equal("success", Assert.IsType<ToolCompletedData>(events[3].Data).Status);
        var finished = Assert.IsType<RunFinishedData>(events[^1].Data);
        Assert.Equal(("success", "The workspace is empty."), (finished.Status, finished.Output));
    }

    [Fact]
    public async Task RunAsync_CallerCancels_EndsAsErrorAndClosesTheAuditRow()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.WhenScriptEnds(FakeReply.Text("never") with { Delay = TimeSpan.FromSeconds(20) });
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await harness.RunAsync("List the files", cancellation.Token);

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("Run cancelled by the caller.", result.Error);
        var request = await harness.RequestAsync(result.RunId);
        Assert.Equal("error", request["status"]);
        Assert.Equal(RunEventTypes.RunFinished, harness.Events.TypesFor(result.RunId)[^1]);
    }

    [Fact]
    public async Task RunAsync_RunExceedsRunTimeout_EndsAsErrorNamingTheLimit()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.WhenScriptEnds(FakeReply.Text("never") with { Delay = TimeSpan.FromSeconds(20) });
        var settings = AgentHarness.RemoteSettings(server);
        settings["Agent:RunTimeout"] = "1";
        var time = FakeTimeExtensions.StartingNow();
        await using var harness = await AgentHarness.StartAsync(settings, services => services.AddSingleton<TimeProvider>(time));

        var running = harness.RunAsync("List the files");
        await Eventually.UntilAsync(() => server.Requests.Count == 1, TimeSpan.FromSeconds(20), "the call to reach the server");
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("Run timeout: the run exceeded 1 s (RUN_TIMEOUT).", result.Error);
        Assert.Equal("error", (await harness.RequestAsync(result.RunId))["status"]);
    }

    [Fact]
    public async Task RunAsync_BaseUrlWithTrailingSlash_ReachesTheChatCompletionsRoute()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.Enqueue(FakeReply.Text("Hello."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server.BaseUrl + "/"));

        var result = await harness.RunAsync("Say hello");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal("/v1/chat/completions", Assert.Single(server.Requests).Path);
    }
}
