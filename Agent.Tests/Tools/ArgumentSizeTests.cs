using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Tools;

/// <summary>MAX_TOOL_ARGUMENT_SIZE in the executor itself, whoever calls it: checked before the JSON Schema.</summary>
public sealed class ArgumentSizeTests
{
    [Fact]
    public async Task ExecuteAsync_WriteOverTheArgumentLimit_BlockedWithAPreviewAndNothingWritten()
    {
        using var tools = new ToolHarness();
        var input = new JsonObject { ["path"] = "big.txt", ["content"] = new string('Z', 100_000) }.ToJsonString();

        var result = await tools.RunAsync("write_file", input);

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Blocked: the arguments are 100031 bytes, over the 65536-byte limit per tool call (MAX_TOOL_ARGUMENT_SIZE); send less per call.", result.Error);
        Assert.Equal(100_031, result.Input!["original_bytes"]!.GetValue<long>());
        Assert.Equal(ToolExecutor.InputPreviewBytes, result.Input["kept_bytes"]!.GetValue<long>());
        Assert.StartsWith("{\"path\":\"big.txt\",\"content\":\"ZZZ", result.Input["preview"]!.GetValue<string>());
        Assert.False(File.Exists(tools.InWorkspace("big.txt")));
        tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ExecuteAsync_OversizedAndSchemaInvalid_RefusedForSizeBeforeTheSchemaLooksAtIt()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["RunLimits:MaxToolArgumentBytes"] = "1024" });
        // Of the wrong shape (path must be a string): were the schema asked first, this would be invalid_input.
        var numbers = string.Join(",", Enumerable.Repeat("1", 2000));

        var result = await tools.RunAsync("write_file", $$"""{"path":[{{numbers}}]}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Contains("over the 1024-byte limit per tool call (MAX_TOOL_ARGUMENT_SIZE)", result.Error);
        Assert.True(result.Input!["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ExecuteAsync_JustWithinTheLimit_RunsNormally()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["RunLimits:MaxToolArgumentBytes"] = "1024" });
        var input = new JsonObject { ["path"] = "fits.txt", ["content"] = new string('a', 1024 - 32) };
        Assert.Equal(1024, JsonMeasure.Of(input).Bytes);

        var result = await tools.RunAsync("write_file", input.ToJsonString());

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal(992, new FileInfo(tools.InWorkspace("fits.txt")).Length);
    }

    [Fact]
    public async Task ExecuteAsync_MultibyteArguments_MeasuredInUtf8Bytes()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["RunLimits:MaxToolArgumentBytes"] = "1024" });
        // 431 characters, 1,231 bytes: a limit counted in characters would let this through.
        var input = new JsonObject { ["path"] = "han.txt", ["content"] = new string('中', 400) };

        var result = await tools.RunAsync("write_file", input.ToJsonString());

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Contains("the arguments are 1231 bytes", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(tools.InWorkspace("han.txt")));
    }
}
