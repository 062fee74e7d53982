using Agent.Core.Tools;
using Agent.Core.Workspace;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Workspace;

/// <summary>Real symbolic links, file and directory, relative and absolute, chained: resolved on every component.</summary>
public sealed class SymlinkTests : IDisposable
{
    private const string LinkOutside = "goes through a symbolic link that points outside the workspace.";

    private readonly ToolHarness _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task ReadFile_FileLinkToSentinel_BlockedLinkPointsOutside()
    {
        File.CreateSymbolicLink(_tools.InWorkspace("innocent.txt"), _tools.SentinelPath);

        var result = await _tools.RunAsync("read_file", """{"path": "innocent.txt"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'innocent.txt' {LinkOutside}", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_ThroughDirectoryLinkToParent_BlockedLinkPointsOutside()
    {
        Directory.CreateSymbolicLink(_tools.InWorkspace("up"), _tools.RootPath);

        var result = await _tools.RunAsync("read_file", """{"path": "up/secret.txt"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'up/secret.txt' {LinkOutside}", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_RelativeLinkClimbingOut_BlockedLinkPointsOutside()
    {
        Directory.CreateDirectory(_tools.InWorkspace("a"));
        File.CreateSymbolicLink(_tools.InWorkspace("a", "s"), "../../secret.txt");

        var result = await _tools.RunAsync("read_file", """{"path": "a/s"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'a/s' {LinkOutside}", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_LinkChainEndingOutside_BlockedLinkPointsOutside()
    {
        File.CreateSymbolicLink(_tools.InWorkspace("third"), _tools.SentinelPath);
        File.CreateSymbolicLink(_tools.InWorkspace("second"), "third");
        File.CreateSymbolicLink(_tools.InWorkspace("first"), _tools.InWorkspace("second"));

        var result = await _tools.RunAsync("read_file", """{"path": "first"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'first' {LinkOutside}", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_LinkToSiblingPrefixDirectory_BlockedLinkPointsOutside()
    {
        Directory.CreateDirectory(_tools.Outside("workspace-evil"));
        File.WriteAllText(_tools.Outside("workspace-evil", "x"), ToolHarness.SentinelText);
        Directory.CreateSymbolicLink(_tools.InWorkspace("evil"), _tools.Outside("workspace-evil"));

        var result = await _tools.RunAsync("read_file", """{"path": "evil/x"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'evil/x' {LinkOutside}", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    /// <summary>
    /// m/n/a points at "top"; top/l is "../../secret.txt". Read lexically from m/n/a that stays inside, but the
    /// kernel resolves it from top, i.e. outside. The resolver must judge it as the kernel would.
    /// </summary>
    [Fact]
    public async Task ReadFile_RelativeTargetJudgedFromLinkRealDirectory_BlockedLinkPointsOutside()
    {
        Directory.CreateDirectory(_tools.InWorkspace("top"));
        Directory.CreateDirectory(_tools.InWorkspace("m", "n"));
        File.WriteAllText(_tools.InWorkspace("m", "secret.txt"), "decoy inside");
        Directory.CreateSymbolicLink(_tools.InWorkspace("m", "n", "a"), _tools.InWorkspace("top"));
        File.CreateSymbolicLink(_tools.InWorkspace("top", "l"), "../../secret.txt");

        var result = await _tools.RunAsync("read_file", """{"path": "m/n/a/l"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'm/n/a/l' {LinkOutside}", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_LinkLoop_BlockedTooManyLinks()
    {
        File.CreateSymbolicLink(_tools.InWorkspace("ping"), "pong");
        File.CreateSymbolicLink(_tools.InWorkspace("pong"), "ping");

        var result = await _tools.RunAsync("read_file", """{"path": "ping"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path 'ping' has too many levels of symbolic links.", result.Error);
    }

    [Fact]
    public async Task ReadFile_LinkStayingInside_SucceedsWithRealPath()
    {
        _tools.WriteWorkspaceFile("docs/real.txt", "hello");
        Directory.CreateDirectory(_tools.InWorkspace("links"));
        File.CreateSymbolicLink(_tools.InWorkspace("links", "alias.txt"), "../docs/real.txt");

        var result = await _tools.RunAsync("read_file", """{"path": "links/alias.txt"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("hello", result.Output!["content"]!.GetValue<string>());
        Assert.Equal("docs/real.txt", result.Output["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListDir_DirectoryLinkOutside_BlockedAndNothingListed()
    {
        Directory.CreateSymbolicLink(_tools.InWorkspace("parent"), _tools.RootPath);

        var result = await _tools.RunAsync("list_dir", """{"path": "parent"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'parent' {LinkOutside}", result.Error);
        Assert.DoesNotContain("secret.txt", result.Output?.ToJsonString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDir_LinkEntries_ReportedAsSymlinkWithoutFollowing()
    {
        File.CreateSymbolicLink(_tools.InWorkspace("to-secret"), _tools.SentinelPath);

        var result = await _tools.RunAsync("list_dir", null);

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        var entry = Assert.Single(result.Output!["entries"]!.AsArray());
        Assert.Equal("to-secret", entry!["name"]!.GetValue<string>());
        Assert.Equal("symlink", entry["type"]!.GetValue<string>());
        Assert.Null(entry["size"]);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task WriteFile_FileLinkToSentinel_BlockedAndSentinelUnchanged()
    {
        File.CreateSymbolicLink(_tools.InWorkspace("notes.txt"), _tools.SentinelPath);

        var result = await _tools.RunAsync("write_file", """{"path": "notes.txt", "content": "overwritten"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'notes.txt' {LinkOutside}", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task WriteFile_IntoDirectoryLinkOutside_BlockedAndNothingCreatedOutside()
    {
        Directory.CreateSymbolicLink(_tools.InWorkspace("out"), _tools.RootPath);

        var result = await _tools.RunAsync("write_file", """{"path": "out/new/pwned.txt", "content": "x"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'out/new/pwned.txt' {LinkOutside}", result.Error);
        Assert.False(Directory.Exists(_tools.Outside("new")));
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task WriteFile_AppendThroughLinkOutside_BlockedAndSentinelUnchanged()
    {
        File.CreateSymbolicLink(_tools.InWorkspace("log.txt"), "../secret.txt");

        var result = await _tools.RunAsync("write_file", """{"path": "log.txt", "content": "more", "append": true}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Path 'log.txt' {LinkOutside}", result.Error);
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task SearchFiles_LinksPointingOutside_SkippedAndNeverRead()
    {
        _tools.WriteWorkspaceFile("notes.txt", "nothing here");
        File.CreateSymbolicLink(_tools.InWorkspace("secret-link.txt"), _tools.SentinelPath);
        Directory.CreateSymbolicLink(_tools.InWorkspace("parent"), _tools.RootPath);

        var result = await _tools.RunAsync("search_files", """{"query": "SENTINEL"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Empty(result.Output!["matches"]!.AsArray());
        Assert.Equal(2, result.Output["skipped_links"]!.GetValue<int>());
        _tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public void Resolve_AbsoluteLinkBackIntoWorkspace_ReturnsRealPathInside()
    {
        _tools.WriteWorkspaceFile("data/file.txt", "x");
        Directory.CreateSymbolicLink(_tools.InWorkspace("alias"), _tools.InWorkspace("data"));

        Assert.Equal(_tools.InWorkspace("data", "file.txt"), _tools.Workspace.Resolve("alias/file.txt"));
    }

    [Fact]
    public void Resolve_LinkToSentinel_ThrowsWorkspaceAccessException()
    {
        File.CreateSymbolicLink(_tools.InWorkspace("s"), _tools.SentinelPath);

        var error = Assert.Throws<WorkspaceAccessException>(() => _tools.Workspace.Resolve("s"));

        Assert.Equal($"Path 's' {LinkOutside}", error.Message);
    }
}
