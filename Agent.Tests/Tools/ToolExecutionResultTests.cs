using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Tools;

namespace Agent.Tests.Tools;

/// <summary>A result's output text is written once and shared; it never outlives the output it was written from.</summary>
public sealed class ToolExecutionResultTests
{
    [Fact]
    public void OutputJson_IsTheOutputsCompactText_WrittenOnce()
    {
        var result = new ToolExecutionResult("list_dir", ToolExecutionStatus.Success, null, new JsonObject { ["count"] = 1, ["name"] = "é\"" }, null, 3);

        Assert.Equal("""{"count":1,"name":"é\""}""", result.OutputJson);
        Assert.Same(result.OutputJson, result.OutputJson);
    }

    [Fact]
    public void With_AnotherOutput_DropsTheOldText()
    {
        var first = new ToolExecutionResult("read_file", ToolExecutionStatus.Success, null, new JsonObject { ["content"] = "old" }, null, 3);
        _ = first.OutputJson;

        var second = first with { Output = new JsonObject { ["content"] = "new" } };

        Assert.Equal("""{"content":"new"}""", second.OutputJson);
        Assert.Equal("""{"content":"old"}""", first.OutputJson);
    }

    [Fact]
    public void With_NoOutput_HasNoText()
    {
        var result = new ToolExecutionResult("read_file", ToolExecutionStatus.Success, null, new JsonObject { ["content"] = "x" }, null, 3);
        _ = result.OutputJson;

        Assert.Null((result with { Output = null }).OutputJson);
    }

    [Fact]
    public void WithoutCachedText_KeepsTheOutputAndWritesTheSameTextAgain()
    {
        var result = new ToolExecutionResult("list_dir", ToolExecutionStatus.Success, null, new JsonObject { ["count"] = 2 }, null, 3);
        var text = result.OutputJson;

        var kept = result.WithoutCachedText();

        Assert.Same(result.Output, kept.Output);
        Assert.NotSame(text, kept.OutputJson);
        Assert.Equal(text, kept.OutputJson);
    }

    [Fact]
    public void OutputJson_PresetByTheWriter_IsUsedAsIs()
    {
        // The executor passes the text it already wrote to measure MAX_OUTPUT_SIZE.
        var output = new JsonObject { ["count"] = 2 };
        var text = output.ToJsonString(JsonDefaults.Compact);

        var result = new ToolExecutionResult("list_dir", ToolExecutionStatus.Success, null, output, null, 3) { OutputJson = text };

        Assert.Same(text, result.OutputJson);
    }
}
