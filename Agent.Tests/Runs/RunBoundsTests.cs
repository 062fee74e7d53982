using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Runs;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.SemanticKernel;

namespace Agent.Tests.Runs;

/// <summary>
/// The bounds on one run (issue 11 part 3), tried as a hostile or runaway model would: each refusal is a <c>blocked</c>
/// execution naming its setting, recorded in the audit and told to the model, and the run goes on or ends clearly.
/// </summary>
public sealed class RunBoundsTests
{
    private const string PerTurnReason = "at most 8 run per turn (MAX_TOOL_CALLS_PER_TURN)";

    [Fact]
    public async Task RunAsync_ThousandListDirCallsInOneTurn_EightRunAndTheRestAreBlockedAuditedAndToldToTheModel()
    {
        var model = new ScriptedChatService(Calls(1000, _ => ("list_dir", new KernelArguments { ["path"] = "." })));
        await using var harness = await AgentHarness.StartAsync(model: model);

        var result = await harness.RunAsync("List the workspace a thousand times");

        // The run went on: the model was asked again and its answer is the run's output.
        Assert.Equal("scripted answer", result.Output);
        Assert.Equal(RunStatus.ToolError, result.Status);
        Assert.Equal(1000, result.ToolExecutions.Count);
        Assert.All(result.ToolExecutions.Take(8), e => Assert.Equal(ToolExecutionStatus.Success, e.Status));
        Assert.All(result.ToolExecutions.Skip(8), e =>
        {
            Assert.Equal(ToolExecutionStatus.Blocked, e.Status);
            Assert.Contains("asked for 1000 tool calls in one turn", e.Error);
            Assert.Contains(PerTurnReason, e.Error);
            Assert.Null(e.Output);
        });

        var rows = await harness.QueryAsync(
            $"SELECT status, error, COUNT(*) AS n FROM tool_executions WHERE request_id = '{result.RunId}' GROUP BY status, error ORDER BY status");
        Assert.Equal(2, rows.Count);
        Assert.Equal(("blocked", 992L), ((string)rows[0]["status"]!, (long)rows[0]["n"]!));
        Assert.Contains(PerTurnReason, (string)rows[0]["error"]!);
        Assert.Equal(("success", 8L), ((string)rows[1]["status"]!, (long)rows[1]["n"]!));

        var told = ToolResults(model.Requests[1]);
        Assert.Equal(1000, told.Count);
        Assert.All(told.Take(8), r => Assert.Equal("success", r["status"]!.GetValue<string>()));
        Assert.All(told.Skip(8), r =>
        {
            Assert.Equal("blocked", r["status"]!.GetValue<string>());
            Assert.Contains(PerTurnReason, r["error"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task RunAsync_MoreThanFiftyCallsOverSeveralTurns_LaterCallsBlockedAndTheModelStillAnswers()
    {
        var turn = Calls(8, _ => ("health_check", new KernelArguments()));
        var model = new ScriptedChatService(turn, turn, turn, turn, turn, turn, turn);
        await using var harness = await AgentHarness.StartAsync(model: model);

        var result = await harness.RunAsync("Check your health 56 times");

        Assert.Equal("scripted answer", result.Output);
        Assert.Equal(RunStatus.ToolError, result.Status);
        Assert.Equal(56, result.ToolExecutions.Count);
        Assert.Equal(50, result.ToolExecutions.Count(e => e.Status == ToolExecutionStatus.Success));
        Assert.All(result.ToolExecutions.Skip(50), e =>
        {
            Assert.Equal(ToolExecutionStatus.Blocked, e.Status);
            Assert.Contains("used all 50 of its tool calls (MAX_TOOL_CALLS_PER_RUN)", e.Error);
        });
        var blocked = await harness.QueryAsync(
            $"SELECT error FROM tool_executions WHERE request_id = '{result.RunId}' AND status = 'blocked'");
        Assert.Equal(6, blocked.Count);
        Assert.All(blocked, row => Assert.Contains("(MAX_TOOL_CALLS_PER_RUN)", (string)row["error"]!));
        Assert.Equal(["blocked", "blocked"], ToolResults(model.Requests[7]).TakeLast(2).Select(r => r["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RunAsync_ModelAsksAgainAfterBeingToldItsCallsAreUsedUp_RunEndsWithErrorNamingTheSetting()
    {
        var model = new ScriptedChatService(
            Calls(4, _ => ("health_check", new KernelArguments())),
            Calls(2, _ => ("list_dir", new KernelArguments())));
        await using var harness = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["RunLimits:MaxToolCallsPerRun"] = "3" }, model: model);

        var result = await harness.RunAsync("Keep calling tools");

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("Tool-call limit reached: the model kept calling tools after the run's 3 tool calls were used (MAX_TOOL_CALLS_PER_RUN).", result.Error);
        Assert.Equal(2, model.Requests.Count);
        var request = await harness.RequestAsync(result.RunId);
        Assert.Equal("error", request["status"]);
        Assert.Equal(result.Error, request["error"]);
        var executions = await harness.ExecutionsAsync(result.RunId);
        Assert.Equal(["success", "success", "success", "blocked", "blocked", "blocked"], executions.Select(e => (string)e["status"]!));
        Assert.All(executions.Skip(3), e => Assert.Contains("used all 3 of its tool calls (MAX_TOOL_CALLS_PER_RUN)", (string)e["error"]!));
        Assert.Equal(["health_check", "list_dir", "list_dir"], executions.Skip(3).Select(e => (string)e["tool_name"]!));
    }

    [Fact]
    public async Task RunAsync_TurnOverBothCountBounds_EachRefusalNamesTheBoundThatMadeIt()
    {
        var model = new ScriptedChatService(Calls(10, _ => ("health_check", new KernelArguments())));
        await using var harness = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["RunLimits:MaxToolCallsPerRun"] = "2" }, model: model);

        var result = await harness.RunAsync("Check your health ten times");

        Assert.Equal("scripted answer", result.Output);
        var executions = await harness.ExecutionsAsync(result.RunId);
        Assert.Equal(["success", "success", .. Enumerable.Repeat("blocked", 8)], executions.Select(e => (string)e["status"]!));
        Assert.All(executions.Skip(2).Take(6), e => Assert.Contains("(MAX_TOOL_CALLS_PER_RUN)", (string)e["error"]!));
        Assert.All(executions.Skip(8), e => Assert.Contains("(MAX_TOOL_CALLS_PER_TURN)", (string)e["error"]!));
    }

    [Fact]
    public async Task RunAsync_HundredOneMegabyteWrites_NoneRunAndTheAuditKeepsOnlyPreviews()
    {
        var content = new string('A', 1 << 20);
        var model = new ScriptedChatService(Calls(100, i => ("write_file", new KernelArguments { ["path"] = $"big{i}.txt", ["content"] = content })));
        await using var harness = await AgentHarness.StartAsync(model: model);

        var result = await harness.RunAsync("Fill the disk");

        Assert.Equal("scripted answer", result.Output);
        Assert.All(result.ToolExecutions, e => Assert.Equal(ToolExecutionStatus.Blocked, e.Status));
        Assert.All(result.ToolExecutions.Take(8), e =>
            Assert.Equal($"Blocked: the arguments are {(1 << 20) + 32} bytes, over the 65536-byte limit per tool call (MAX_TOOL_ARGUMENT_SIZE); send less per call.", e.Error));
        Assert.All(result.ToolExecutions.Skip(8), e => Assert.Contains(PerTurnReason, e.Error));
        Assert.All(result.ToolExecutions, e =>
        {
            Assert.True(e.Input!["truncated"]!.GetValue<bool>());
            Assert.True(e.Input["original_bytes"]!.GetValue<long>() > 1 << 20);
            Assert.StartsWith("{\"path\":\"big", e.Input["preview"]!.GetValue<string>());
        });
        Assert.Empty(Directory.EnumerateFileSystemEntries(harness.WorkspacePath));

        var rows = await harness.ExecutionsAsync(result.RunId);
        Assert.Equal(100, rows.Count);
        Assert.All(rows, r => Assert.InRange(((string)r["input"]!).Length, 100, 3000));
        Assert.All(rows.Take(8), r => Assert.Contains("(MAX_TOOL_ARGUMENT_SIZE)", (string)r["error"]!));
        var decision = Assert.Single(await harness.QueryAsync($"SELECT selected_tools FROM decisions WHERE request_id = '{result.RunId}' AND step = 1"));
        Assert.InRange(((string)decision["selected_tools"]!).Length, 1000, 100 * 3000);
        var tools = JsonNode.Parse((string)decision["selected_tools"]!)!.AsArray();
        Assert.All(tools, t => Assert.True(t!["arguments"]!["truncated"]!.GetValue<bool>()));
        // The issue saw 418 MB of database from six such runs; now only previews of the 100 MiB of arguments are stored.
        var stored = Assert.Single(await harness.QueryAsync(
            $"SELECT (SELECT SUM(LENGTH(input)) FROM tool_executions WHERE request_id = '{result.RunId}') + " +
            $"(SELECT SUM(LENGTH(selected_tools)) FROM decisions WHERE request_id = '{result.RunId}') AS bytes"));
        Assert.InRange((long)stored["bytes"]!, 100_000, 600_000);
        Assert.InRange(new FileInfo(harness.DatabasePath).Length + WalLength(harness.DatabasePath), 0, 16 << 20);
        Assert.All(harness.Events.All.Where(e => e.RunId == result.RunId), e =>
            Assert.InRange(e.DataBytes, 0, 400_000));
    }

    [Fact]
    public async Task RunAsync_OversizedArgumentsOverTheWire_BlockedBeforeParsingWhileSmallCallsRun()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var big = new JsonObject { ["path"] = "big.txt", ["content"] = new string('B', 100_000) }.ToJsonString();
        server.Enqueue(
            FakeReply.Calls(new FakeToolCall("write_file", big), new FakeToolCall("write_file", """{"path":"small.txt","content":"ok"}""")),
            FakeReply.Text("Wrote the small one."));
        await using var harness = await AgentHarness.StartAsync(AgentHarness.RemoteSettings(server));

        var result = await harness.RunAsync("Write two files");

        Assert.Equal("Wrote the small one.", result.Output);
        Assert.Equal([ToolExecutionStatus.Blocked, ToolExecutionStatus.Success], result.ToolExecutions.Select(e => e.Status));
        Assert.Contains("over the 65536-byte limit per tool call (MAX_TOOL_ARGUMENT_SIZE)", result.ToolExecutions[0].Error);
        Assert.False(File.Exists(Path.Combine(harness.WorkspacePath, "big.txt")));
        Assert.Equal("ok", await File.ReadAllTextAsync(Path.Combine(harness.WorkspacePath, "small.txt")));
        var rows = await harness.ExecutionsAsync(result.RunId);
        Assert.Equal("blocked", rows[0]["status"]);
        Assert.Contains("(MAX_TOOL_ARGUMENT_SIZE)", (string)rows[0]["error"]!);
        Assert.True(((string)rows[0]["input"]!).Length < 3000);

        var toolMessages = server.Requests[1].Messages.Where(m => m!["role"]!.GetValue<string>() == "tool").ToList();
        var told = JsonNode.Parse(toolMessages[0]!["content"]!.GetValue<string>())!;
        Assert.Equal("blocked", told["status"]!.GetValue<string>());
        Assert.Contains("(MAX_TOOL_ARGUMENT_SIZE)", told["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_OutputsBeyondTheRunBudget_KeptAsPreviewsSayingHowMuchWasCut()
    {
        var model = new ScriptedChatService(
            [("read_file", new KernelArguments { ["path"] = "big.txt" })],
            [("read_file", new KernelArguments { ["path"] = "big.txt" })],
            [("read_file", new KernelArguments { ["path"] = "big.txt" })]);
        await using var harness = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Agent:MaxOutputSize"] = "10000000" }, model: model);
        harness.WriteFile("big.txt", new string('x', 600_000));

        var result = await harness.RunAsync("Read the big file three times");

        Assert.Equal(RunStatus.Success, result.Status);
        var outputs = result.ToolExecutions.Select(e => e.Output!).ToList();
        var first = JsonMeasure.Of(outputs[0]).Bytes;
        Assert.False(result.ToolExecutions[0].Truncated);
        Assert.Equal(600_000, outputs[0]["content"]!.GetValue<string>().Length);

        // The second read gets what is left of the default 1 MiB, the third nothing; each says what was cut.
        Assert.True(result.ToolExecutions[1].Truncated);
        // What is left is measured as stored: the preview's quotes are escaped, so a few bytes fewer are kept.
        var keptSecond = outputs[1]["kept_bytes"]!.GetValue<long>();
        Assert.InRange(keptSecond, 1_048_576 - first - 16, 1_048_576 - first);
        Assert.Equal(first, outputs[1]["original_bytes"]!.GetValue<long>());
        Assert.Equal(first - keptSecond, outputs[1]["cut_bytes"]!.GetValue<long>());
        Assert.Equal(1_048_576 - first, JsonMeasure.Of(outputs[1]["preview"]).Bytes - 2);
        Assert.Contains("1048576 bytes (MAX_RUN_OUTPUT_SIZE)", outputs[1]["note"]!.GetValue<string>());
        Assert.StartsWith("{\"path\":\"big.txt\"", outputs[1]["preview"]!.GetValue<string>());
        Assert.Equal(0, outputs[2]["kept_bytes"]!.GetValue<long>());
        Assert.Equal(first, outputs[2]["cut_bytes"]!.GetValue<long>());
        Assert.Equal("", outputs[2]["preview"]!.GetValue<string>());

        var rows = await harness.ExecutionsAsync(result.RunId);
        Assert.Equal(outputs[1].ToJsonString(JsonDefaults.Compact), rows[1]["output"]);
        Assert.Equal(outputs[2].ToJsonString(JsonDefaults.Compact), rows[2]["output"]);
        var completed = harness.Events.All.Where(e => e.RunId == result.RunId).Select(e => e.Data).OfType<ToolCompletedData>().ToList();
        Assert.True(completed[2].Truncated);
        Assert.Equal(0, completed[2].Output!["kept_bytes"]!.GetValue<long>());
        var kept = rows.Sum(r => System.Text.Encoding.UTF8.GetByteCount((string)r["output"]!));
        Assert.InRange(kept, 1_048_576, 1_048_576 + 2000);
    }

    private static (string Tool, KernelArguments Arguments)[] Calls(int count, Func<int, (string, KernelArguments)> call) =>
        Enumerable.Range(0, count).Select(call).ToArray();

    /// <summary>The tool results the model was sent in one request, parsed.</summary>
    private static List<JsonNode> ToolResults(ChatMessageContent[] history) =>
        history.SelectMany(m => m.Items.OfType<FunctionResultContent>()).Select(r => JsonNode.Parse((string)r.Result!)!).ToList();

    private static long WalLength(string databasePath) => File.Exists(databasePath + "-wal") ? new FileInfo(databasePath + "-wal").Length : 0;
}
