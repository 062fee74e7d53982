using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Tools;

/// <summary>write_file: atomic, size-capped, parents created inside the workspace only.</summary>
public sealed class WriteFileToolTests
{
    [Fact]
    public async Task ExecuteAsync_NewFileInMissingDirectories_CreatedWithNoTemporaryLeft()
    {
        using var tools = new ToolHarness();

        var result = await tools.RunAsync("write_file", """{"path": "reports/2026/summary.md", "content": "# Summary\n"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("# Summary\n", File.ReadAllText(tools.InWorkspace("reports", "2026", "summary.md")));
        Assert.Equal("reports/2026/summary.md", result.Output!["path"]!.GetValue<string>());
        Assert.True(result.Output["created"]!.GetValue<bool>());
        Assert.Equal(10, result.Output["bytes_written"]!.GetValue<long>());
        Assert.Equal(["summary.md"], Directory.GetFiles(tools.InWorkspace("reports", "2026")).Select(Path.GetFileName));
        tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ExecuteAsync_Append_KeepsExistingContent()
    {
        using var tools = new ToolHarness();
        tools.WriteWorkspaceFile("log.txt", "one\n");

        var result = await tools.RunAsync("write_file", """{"path": "log.txt", "content": "two\n", "append": true}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("one\ntwo\n", File.ReadAllText(tools.InWorkspace("log.txt")));
        Assert.True(result.Output!["appended"]!.GetValue<bool>());
        Assert.Equal(8, result.Output["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task ExecuteAsync_ContentOverMaxWriteSize_ErrorAndNothingWritten()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Tools:MaxWriteSize"] = "100" });

        var result = await tools.RunAsync("write_file", $$"""{"path": "big.txt", "content": "{{new string('x', 101)}}"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("The file would be 101 bytes; the limit is 100 bytes (MAX_WRITE_SIZE). Nothing was written.", result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tools.WorkspacePath));
    }

    [Fact]
    public async Task ExecuteAsync_AppendPastMaxWriteSize_ErrorAndOriginalUnchanged()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Tools:MaxWriteSize"] = "100" });
        tools.WriteWorkspaceFile("log.txt", new string('a', 90));

        var result = await tools.RunAsync("write_file", """{"path": "log.txt", "content": "0123456789ABC", "append": true}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("The file would be 103 bytes; the limit is 100 bytes (MAX_WRITE_SIZE). Nothing was written.", result.Error);
        Assert.Equal(new string('a', 90), File.ReadAllText(tools.InWorkspace("log.txt")));
    }

    [Fact]
    public async Task ExecuteAsync_MultibyteContent_SizeCountedInUtf8Bytes()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Tools:MaxWriteSize"] = "10" });

        var result = await tools.RunAsync("write_file", """{"path": "emoji.txt", "content": "😀😀😀"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("The file would be 12 bytes; the limit is 10 bytes (MAX_WRITE_SIZE). Nothing was written.", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_WorkspaceRootAsPath_ErrorIsADirectory()
    {
        using var tools = new ToolHarness();

        var result = await tools.RunAsync("write_file", """{"path": ".", "content": "x"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("'.' is a directory.", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_ParentIsAFile_ErrorAndFileUnchanged()
    {
        using var tools = new ToolHarness();
        tools.WriteWorkspaceFile("notes", "keep");

        var result = await tools.RunAsync("write_file", """{"path": "notes/inner.txt", "content": "x"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("Cannot create 'notes/inner.txt': 'notes' is not a directory (file).", result.Error);
        Assert.Equal("keep", File.ReadAllText(tools.InWorkspace("notes")));
    }

    [Fact]
    public async Task ExecuteAsync_LinkInsideWorkspace_ReplacesTheTargetNotTheLink()
    {
        using var tools = new ToolHarness();
        tools.WriteWorkspaceFile("real.txt", "old");
        File.CreateSymbolicLink(tools.InWorkspace("alias.txt"), "real.txt");

        var result = await tools.RunAsync("write_file", """{"path": "alias.txt", "content": "new"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("new", File.ReadAllText(tools.InWorkspace("real.txt")));
        Assert.Equal("real.txt", new FileInfo(tools.InWorkspace("alias.txt")).LinkTarget);
    }
}
