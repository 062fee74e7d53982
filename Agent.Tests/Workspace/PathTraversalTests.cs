using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Workspace;

/// <summary>Paths that try to leave the workspace lexically: each is refused before anything is touched.</summary>
public sealed class PathTraversalTests : IDisposable
{
    private readonly ToolHarness _tools = new();

    public PathTraversalTests() => _tools.WriteWorkspaceFile("docs/readme.md", "inside");

    public void Dispose() => _tools.Dispose();

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("docs/../../secret.txt")]
    [InlineData("./../secret.txt")]
    [InlineData("docs/a/b/../../../../secret.txt")]
    [InlineData("..")]
    public async Task ReadFile_ParentTraversal_BlockedEscapesWorkspace(string path)
    {
        var result = await _tools.RunAsync("read_file", $$"""{"path": "{{path}}"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path '{path}' escapes the workspace.", result.Error);
        Assert.Null(result.Output);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_SiblingDirectorySharingThePrefix_BlockedEscapesWorkspace()
    {
        var evil = _tools.Outside("workspace-evil", "x");
        Directory.CreateDirectory(Path.GetDirectoryName(evil)!);
        File.WriteAllText(evil, ToolHarness.SentinelText);

        var result = await _tools.RunAsync("read_file", """{"path": "../workspace-evil/x"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path '../workspace-evil/x' escapes the workspace.", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_AbsolutePathToSentinel_BlockedMustBeRelative()
    {
        var result = await _tools.RunAsync("read_file", $$"""{"path": "{{_tools.SentinelPath}}"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path '{_tools.SentinelPath}' must be relative to the workspace.", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_TildeHomePath_BlockedMustBeRelative()
    {
        var result = await _tools.RunAsync("read_file", """{"path": "~/.bashrc"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path '~/.bashrc' must be relative to the workspace.", result.Error);
    }

    [Theory]
    [InlineData("%2e%2e/secret.txt")]
    [InlineData("..%2fsecret.txt")]
    [InlineData("%2E%2E%2Fsecret.txt")]
    public async Task ReadFile_PercentEncodedTraversal_BlockedPercentEncodingRefused(string path)
    {
        var result = await _tools.RunAsync("read_file", $$"""{"path": "{{path}}"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Percent-encoded paths are not allowed.", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Theory]
    [InlineData(@"..\\secret.txt")]
    [InlineData(@"docs\\..\\..\\secret.txt")]
    public async Task ReadFile_BackslashTraversal_BlockedBackslashesRefused(string jsonPath)
    {
        var result = await _tools.RunAsync("read_file", $$"""{"path": "{{jsonPath}}"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Backslashes are not allowed in paths; use '/'.", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_NulByteTruncationTrick_BlockedNulRefused()
    {
        var result = await _tools.RunAsync("read_file", """{"path": "docs/readme.md\u0000../../secret.txt"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path contains a NUL byte.", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ListDir_ParentDirectory_BlockedAndNoOutsideNamesListed()
    {
        var result = await _tools.RunAsync("list_dir", """{"path": ".."}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path '..' escapes the workspace.", result.Error);
        Assert.Null(result.Output);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task WriteFile_ParentTraversal_BlockedAndNothingCreatedOutside()
    {
        var result = await _tools.RunAsync("write_file", """{"path": "../pwned.txt", "content": "x"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path '../pwned.txt' escapes the workspace.", result.Error);
        Assert.False(File.Exists(_tools.Outside("pwned.txt")));
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task WriteFile_OverwriteSentinelBySiblingPrefix_BlockedAndSentinelUnchanged()
    {
        var result = await _tools.RunAsync("write_file", """{"path": "../workspace-evil/../secret.txt", "content": "overwritten"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path '../workspace-evil/../secret.txt' escapes the workspace.", result.Error);
        Assert.False(Directory.Exists(_tools.Outside("workspace-evil")));
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task SearchFiles_PathOutside_BlockedAndNothingSearched()
    {
        var result = await _tools.RunAsync("search_files", """{"query": "SECRET", "path": "../"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path '../' escapes the workspace.", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_DotSegmentsThatStayInside_Normalized()
    {
        var result = await _tools.RunAsync("read_file", """{"path": "./docs/../docs/./readme.md"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("docs/readme.md", result.Output!["path"]!.GetValue<string>());
        Assert.Equal("inside", result.Output["content"]!.GetValue<string>());
    }

    [Fact]
    public void Resolve_TrailingSlashesAndDuplicateSeparators_StayInsideTheRoot()
    {
        var resolved = _tools.Workspace.Resolve("docs//readme.md");

        Assert.Equal(_tools.InWorkspace("docs", "readme.md"), resolved);
        Assert.Equal(_tools.WorkspacePath, _tools.Workspace.Resolve("docs/.."));
    }
}
