using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Tools;

/// <summary>read_file's size and binary limits.</summary>
public sealed class ReadFileToolTests
{
    [Fact]
    public async Task ExecuteAsync_FileLargerThanMaxReadSize_ReadsOnlyUpToTheLimit()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Tools:MaxReadSize"] = "4096", ["Agent:MaxOutputSize"] = "100000" });
        var line = new string('x', 99) + "\n";
        tools.WriteWorkspaceFile("big.log", string.Concat(Enumerable.Repeat(line, 50_000)));

        var result = await tools.RunAsync("read_file", """{"path": "big.log", "max_lines": 1000}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.True(result.Output!["truncated"]!.GetValue<bool>());
        Assert.Equal(5_000_000, result.Output["size"]!.GetValue<long>());
        Assert.True(result.Output["content"]!.GetValue<string>().Length <= 4096);
        Assert.Equal(41, result.Output["line_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExecuteAsync_MaxLines_ReturnsThatManyLinesAndFlagsTruncated()
    {
        using var tools = new ToolHarness();
        tools.WriteWorkspaceFile("lines.txt", "one\ntwo\nthree\nfour\n");

        var result = await tools.RunAsync("read_file", """{"path": "lines.txt", "max_lines": 2}""");

        Assert.Equal("one\ntwo\n", result.Output!["content"]!.GetValue<string>());
        Assert.Equal(2, result.Output["line_count"]!.GetValue<int>());
        Assert.True(result.Output["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ExecuteAsync_WholeFileWithinLimits_NotTruncated()
    {
        using var tools = new ToolHarness();
        tools.WriteWorkspaceFile("lines.txt", "one\ntwo\n");

        var result = await tools.RunAsync("read_file", """{"path": "lines.txt", "max_lines": 2}""");

        Assert.False(result.Output!["truncated"]!.GetValue<bool>());
        Assert.Equal(8, result.Output["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task ExecuteAsync_NulBytesInHead_ReportedBinaryWithoutContent()
    {
        using var tools = new ToolHarness();
        File.WriteAllBytes(tools.InWorkspace("image.bin"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x53, 0x45, 0x43, 0x52, 0x45, 0x54]);

        var result = await tools.RunAsync("read_file", """{"path": "image.bin"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.True(result.Output!["binary"]!.GetValue<bool>());
        Assert.Null(result.Output["content"]);
        Assert.Equal(11, result.Output["size"]!.GetValue<long>());
        Assert.DoesNotContain("SECRET", result.Output.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_NulByteAfterFirst8KiB_TreatedAsText()
    {
        using var tools = new ToolHarness();
        File.WriteAllBytes(tools.InWorkspace("late.txt"), [.. Enumerable.Repeat((byte)'a', 9000), 0, (byte)'\n']);

        var result = await tools.RunAsync("read_file", """{"path": "late.txt"}""");

        Assert.Null(result.Output!["binary"]);
        Assert.StartsWith("aaaa", result.Output["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
