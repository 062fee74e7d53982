using Agent.Core;
using Agent.Core.Llm;
using Agent.Core.Runs;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Runs;

/// <summary>Whole runs with the default, offline local planner: the same loop as a remote model.</summary>
public sealed class AgentRunnerLocalTests
{
    [Fact]
    public async Task RunAsync_ListAndReadInstruction_RunsBothToolsAndAnswersFromTheirResults()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.WriteFile("README.md", "# Title\nline two\n");
        Directory.CreateDirectory(Path.Combine(harness.WorkspacePath, "docs"));

        var result = await harness.RunAsync("list the files and read README.md");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal(["list_dir", "read_file"], result.ToolExecutions.Select(e => e.ToolName));
        Assert.Equal("The workspace contains 2 entries: README.md, docs/.\nREADME.md (2 lines):\n# Title\nline two", result.Output);
        var decisions = await harness.DecisionsAsync(result.RunId);
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, d => Assert.Equal(LocalPlanner.ModelName, d["model"]));
        Assert.StartsWith("Plan: list_dir", (string)decisions[0]["reasoning"]!);
        var executions = await harness.ExecutionsAsync(result.RunId);
        Assert.All(executions, e => Assert.Equal(decisions[0]["id"], e["decision_id"]));
    }

    [Fact]
    public async Task RunAsync_ToolOutput_OneTextForTheAuditRowTheEventAndTheResult()
    {
        await using var harness = await AgentHarness.StartAsync();
        for (var i = 0; i < 30; i++)
        {
            harness.WriteFile($"file-{i:D2} \"quoted\" é.txt", new string('x', i));
        }

        var result = await harness.RunAsync("list the files");

        var execution = Assert.Single(result.ToolExecutions);
        var row = Assert.Single(await harness.ExecutionsAsync(result.RunId));
        var completed = harness.Events.All.Where(e => e.RunId == result.RunId).Select(e => e.Data).OfType<ToolCompletedData>().Single();
        // The event shares the result's output (no second tree per call), and all three write the stored text.
        Assert.Same(execution.Output, completed.Output);
        Assert.Equal(row["output"], execution.Output!.ToJsonString(JsonDefaults.Compact));
        Assert.Equal(30, execution.Output["count"]!.GetValue<int>());
        Assert.Equal("file-00 \"quoted\" é.txt", execution.Output["entries"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_ReadWithLineLimit_ReadsOnlyThoseLines()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.WriteFile("notes.txt", string.Join('\n', Enumerable.Range(1, 50).Select(i => $"line {i}")));

        var result = await harness.RunAsync("read notes.txt, first 20 lines");

        Assert.Equal(RunStatus.Success, result.Status);
        var execution = Assert.Single(result.ToolExecutions);
        Assert.Equal(20, execution.Output!["line_count"]!.GetValue<int>());
        Assert.StartsWith("notes.txt (20 lines, more lines not shown):\nline 1\n", result.Output);
    }

    [Fact]
    public async Task RunAsync_MissingFile_EndsAsToolErrorWithAReadableAnswer()
    {
        await using var harness = await AgentHarness.StartAsync();

        var result = await harness.RunAsync("read missing.txt");

        Assert.Equal(RunStatus.ToolError, result.Status);
        Assert.Equal(ToolExecutionStatus.Error, Assert.Single(result.ToolExecutions).Status);
        Assert.Equal("read_file did not succeed (error): File 'missing.txt' does not exist.", result.Output);
        Assert.Equal("tool_error", (await harness.RequestAsync(result.RunId))["status"]);
    }

    [Fact]
    public async Task RunAsync_InstructionItCannotMap_SucceedsWithAnHonestAnswerAndNoExecutions()
    {
        await using var harness = await AgentHarness.StartAsync();

        var result = await harness.RunAsync("make me a sandwich");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Empty(result.ToolExecutions);
        Assert.Equal(InstructionParser.Help, result.Output);
        Assert.Equal("[]", Assert.Single(await harness.DecisionsAsync(result.RunId))["selected_tools"]);
    }

    [Fact]
    public async Task RunAsync_ToolNotRegistered_IsRefusedAsUnknownTool()
    {
        // write_file is planned by the local planner whether or not the tool is registered; the executor decides.
        await using var harness = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["Agent:DisabledTools"] = "write_file" });

        var result = await harness.RunAsync("write 'hello' to out.txt");

        Assert.Equal(RunStatus.ToolError, result.Status);
        var execution = Assert.Single(result.ToolExecutions);
        Assert.Equal("write_file", execution.ToolName);
        Assert.Equal(ToolExecutionStatus.UnknownTool, execution.Status);
        Assert.False(File.Exists(Path.Combine(harness.WorkspacePath, "out.txt")));
    }

    [Fact]
    public async Task RunAsync_HealthCheck_PublishesEventsInOrder()
    {
        await using var harness = await AgentHarness.StartAsync();

        var result = await harness.RunAsync("check your health");

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.StartsWith("The agent is healthy on ", result.Output);
        Assert.Equal(
            [RunEventTypes.RunStarted, RunEventTypes.Decision, RunEventTypes.ToolStarted, RunEventTypes.ToolCompleted, RunEventTypes.Decision, RunEventTypes.RunFinished],
            harness.Events.TypesFor(result.RunId));
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeStart_EndsAsErrorAndIsAudited()
    {
        await using var harness = await AgentHarness.StartAsync();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var result = await harness.RunAsync("list the files", cancellation.Token);

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal("Run cancelled by the caller.", result.Error);
        Assert.Empty(result.ToolExecutions);
        Assert.Equal("error", (await harness.RequestAsync(result.RunId))["status"]);
    }
}
