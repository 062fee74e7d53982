using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Tools;

/// <summary>search_files: globs, text matches, caps, binary and link handling.</summary>
public sealed class SearchFilesToolTests : IDisposable
{
    private readonly ToolHarness _tools = new(new Dictionary<string, string?> { ["Tools:SearchMaxResults"] = "5", ["Agent:MaxOutputSize"] = "100000" });

    public SearchFilesToolTests()
    {
        _tools.WriteWorkspaceFile("README.md", "# Project\nTODO: write docs\n");
        _tools.WriteWorkspaceFile("docs/guide.md", "intro\nTODO: examples\n");
        _tools.WriteWorkspaceFile("docs/notes.txt", "todo lowercase\n");
        _tools.WriteWorkspaceFile("src/app.cs", "// nothing\n");
    }

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task ExecuteAsync_PatternOnly_FilesInOrdinalDepthFirstOrder()
    {
        var result = await _tools.RunAsync("search_files", """{"pattern": "*.md"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal(["README.md", "docs/guide.md"], result.Output!["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.False(result.Output["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ExecuteAsync_QueryWithPatternAndPath_LineMatchesCaseInsensitive()
    {
        var result = await _tools.RunAsync("search_files", """{"query": "todo", "pattern": "*.txt", "path": "docs"}""");

        var match = Assert.Single(result.Output!["matches"]!.AsArray());
        Assert.Equal("docs/notes.txt", match!["path"]!.GetValue<string>());
        Assert.Equal(1, match["line"]!.GetValue<int>());
        Assert.Equal("todo lowercase", match["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_MoreMatchesThanTheCap_CappedAndTruncated()
    {
        _tools.WriteWorkspaceFile("many.txt", string.Concat(Enumerable.Repeat("needle\n", 50)));

        var result = await _tools.RunAsync("search_files", """{"query": "needle"}""");

        Assert.Equal(5, result.Output!["matches"]!.AsArray().Count);
        Assert.True(result.Output["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ExecuteAsync_BinaryFileContainingQuery_SkippedNotMatched()
    {
        File.WriteAllBytes(_tools.InWorkspace("blob.bin"), [.. "needle"u8, 0, .. "needle"u8]);

        var result = await _tools.RunAsync("search_files", """{"query": "needle"}""");

        Assert.Empty(result.Output!["matches"]!.AsArray());
        Assert.Equal(1, result.Output["skipped_binary"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExecuteAsync_DirectoryLinkInsideWorkspace_NotEnteredTwice()
    {
        Directory.CreateSymbolicLink(_tools.InWorkspace("loop"), _tools.WorkspacePath);

        var result = await _tools.RunAsync("search_files", """{"pattern": "guide.md"}""");

        Assert.Equal(["docs/guide.md"], result.Output!["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(1, result.Output["skipped_links"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExecuteAsync_StartPathIsAFile_Error()
    {
        var result = await _tools.RunAsync("search_files", """{"query": "x", "path": "README.md"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("Directory 'README.md' does not exist.", result.Error);
    }
}
