using System.Diagnostics;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Workspace;

/// <summary>
/// A hard link inside the workspace to a file outside it (made by another user of the machine, or before the
/// workspace was handed over) is another name for the outside file: refused unless Tools:AllowHardLinks is set.
/// </summary>
public sealed class HardLinkTests
{
    private const string Refusal = "has 2 hard links; its other names may be outside the workspace. Set ALLOW_HARD_LINKS (Tools:AllowHardLinks) to true to allow it.";

    [Fact]
    public async Task ReadFile_HardLinkToOutsideFile_BlockedAndSentinelNotRead()
    {
        using var tools = new ToolHarness();
        HardLink(tools.SentinelPath, tools.InWorkspace("linked.txt"));

        var result = await tools.RunAsync("read_file", """{"path": "linked.txt"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"File 'linked.txt' {Refusal}", result.Error);
        tools.AssertOutsideUntouched(result);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WriteFile_HardLinkToOutsideFile_BlockedAndOutsideUnchanged(bool append)
    {
        using var tools = new ToolHarness();
        HardLink(tools.SentinelPath, tools.InWorkspace("linked.txt"));

        var result = await tools.RunAsync("write_file", $$"""{"path": "linked.txt", "content": "more", "append": {{(append ? "true" : "false")}}}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"File 'linked.txt' {Refusal}", result.Error);
        Assert.Equal(ToolHarness.SentinelText, File.ReadAllText(tools.InWorkspace("linked.txt")));
        tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task SearchFiles_HardLinkToOutsideFile_SkippedAndNeverRead()
    {
        using var tools = new ToolHarness();
        tools.WriteWorkspaceFile("notes.txt", "nothing");
        HardLink(tools.SentinelPath, tools.InWorkspace("linked.txt"));

        var result = await tools.RunAsync("search_files", """{"query": "SENTINEL"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Empty(result.Output!["matches"]!.AsArray());
        Assert.Equal(1, result.Output["skipped_special"]!.GetValue<int>());
        tools.AssertOutsideUntouched(result);
    }

    [Fact]
    public async Task ReadFile_HardLinkWithAllowHardLinks_Reads()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Tools:AllowHardLinks"] = "true" });
        tools.WriteWorkspaceFile("a.txt", "shared text");
        HardLink(tools.InWorkspace("a.txt"), tools.InWorkspace("b.txt"));

        var result = await tools.RunAsync("read_file", """{"path": "b.txt"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("shared text", result.Output!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListDir_HardLinkedFile_ListedWithoutBeingOpened()
    {
        using var tools = new ToolHarness();
        HardLink(tools.SentinelPath, tools.InWorkspace("linked.txt"));

        var result = await tools.RunAsync("list_dir", null);

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("linked.txt", Assert.Single(result.Output!["entries"]!.AsArray())!["name"]!.GetValue<string>());
        tools.AssertOutsideUntouched(result);
    }

    private static void HardLink(string existing, string link)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/ln", [existing, link]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
