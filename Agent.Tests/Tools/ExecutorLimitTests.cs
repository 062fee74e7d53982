using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Agent.Tests.Tools;

/// <summary>MAX_TOOL_TIMEOUT and MAX_OUTPUT_SIZE hold whatever the tool does.</summary>
public sealed class ExecutorLimitTests
{
    [Fact]
    public async Task ExecuteAsync_ToolIgnoringItsToken_TimeoutAtMaxToolTimeout()
    {
        using var stubborn = new StubbornTool();
        var clock = new FakeTimeProvider();
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Agent:MaxToolTimeout"] = "600" },
            s => s.AddSingleton<IAgentTool>(stubborn).AddSingleton<TimeProvider>(clock));

        var running = tools.RunAsync("stubborn", "{}");
        // Ten minutes on the injected clock, none on the real one: just short of the deadline the call is held, at it abandoned.
        clock.Advance(TimeSpan.FromSeconds(600) - TimeSpan.FromMilliseconds(1));
        Assert.False(running.IsCompleted, "the call ended before MAX_TOOL_TIMEOUT had passed");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ToolExecutionStatus.Timeout, result.Status);
        Assert.Equal("Tool 'stubborn' exceeded the 600 s timeout (MAX_TOOL_TIMEOUT).", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_OutputOverMaxOutputSize_CappedWithinLimitAndFlagged()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Agent:MaxOutputSize"] = "500" }, s => s.AddSingleton<IAgentTool>(new VerboseTool(5000)));

        var result = await tools.RunAsync("verbose", "{}");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.True(result.Truncated);
        Assert.True(result.Output!["truncated"]!.GetValue<bool>());
        Assert.True(result.Output["original_length"]!.GetValue<int>() > 5000);
        Assert.InRange(result.Output.ToJsonString(JsonDefaults.Compact).Length, 400, 500);
    }

    [Fact]
    public async Task ExecuteAsync_OutputWithinLimit_ReturnedWhole()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Agent:MaxOutputSize"] = "500" }, s => s.AddSingleton<IAgentTool>(new VerboseTool(100)));

        var result = await tools.RunAsync("verbose", "{}");

        Assert.False(result.Truncated);
        Assert.Equal(100, result.Output!["text"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task ExecuteAsync_ObjectOutput_KeptAsItsTextAndReadableAsBefore()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Agent:MaxOutputSize"] = "500" }, s => s.AddSingleton<IAgentTool>(new VerboseTool(100)));

        var result = await tools.RunAsync("verbose", "{}");

        // The tool's tree is replaced by its parsed text: same JSON, same reads, and the text the audit stores.
        var text = string.Concat(Enumerable.Repeat("ab\"\\😀\n", 100 / 7 + 1))[..100];
        Assert.Equal(new JsonObject { ["text"] = text }.ToJsonString(JsonDefaults.Compact), result.OutputJson);
        Assert.Equal(result.OutputJson, result.Output!.ToJsonString(JsonDefaults.Compact));
        Assert.Equal(text, result.Output["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListDir_MoreEntriesThanTheCap_CappedWithCountAndFlag()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Agent:MaxOutputSize"] = "1000000" });
        for (var i = 0; i < 1005; i++)
        {
            File.WriteAllText(tools.InWorkspace($"f{i:D4}.txt"), "");
        }

        var result = await tools.RunAsync("list_dir", null);

        var entries = result.Output!["entries"]!.AsArray();
        Assert.Equal(1000, entries.Count);
        Assert.Equal(1005, result.Output["count"]!.GetValue<int>());
        Assert.True(result.Output["truncated"]!.GetValue<bool>());
        Assert.Equal("f0000.txt", entries[0]!["name"]!.GetValue<string>());
        Assert.Equal("f0999.txt", entries[999]!["name"]!.GetValue<string>());
    }
}
