using System.Diagnostics;
using System.Net.Sockets;
using Agent.Core.Tools;
using Agent.Core.Workspace;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Workspace;

/// <summary>FIFOs, devices, sockets and directories where a file was expected: refused at once, never opened.</summary>
public sealed class SpecialFileTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);

    private readonly ToolHarness _tools = new();

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task ReadFile_Fifo_ErrorPromptlyWithoutBlocking()
    {
        ToolHarness.MakeFifo(_tools.InWorkspace("pipe"));
        var clock = Stopwatch.StartNew();

        var result = await _tools.RunAsync("read_file", """{"path": "pipe"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("'pipe' is not a regular file (fifo); only regular files can be read or written.", result.Error);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ReadFile_LinkToDevZero_BlockedWithoutReading()
    {
        File.CreateSymbolicLink(_tools.InWorkspace("zeros"), "/dev/zero");
        var clock = Stopwatch.StartNew();

        var result = await _tools.RunAsync("read_file", """{"path": "zeros"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Path 'zeros' goes through a symbolic link that points outside the workspace.", result.Error);
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ReadFile_UnixSocket_ErrorNotRegularFile()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(_tools.InWorkspace("agent.sock")));

        var result = await _tools.RunAsync("read_file", """{"path": "agent.sock"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("'agent.sock' is not a regular file (socket); only regular files can be read or written.", result.Error);
    }

    [Fact]
    public async Task ReadFile_Directory_ErrorIsADirectory()
    {
        Directory.CreateDirectory(_tools.InWorkspace("docs"));

        var result = await _tools.RunAsync("read_file", """{"path": "docs"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("'docs' is a directory.", result.Error);
    }

    [Fact]
    public async Task ReadFile_Missing_ErrorDoesNotExist()
    {
        var result = await _tools.RunAsync("read_file", """{"path": "nope.txt"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("File 'nope.txt' does not exist.", result.Error);
    }

    [Fact]
    public async Task WriteFile_OntoFifo_ErrorAndFifoLeftInPlace()
    {
        ToolHarness.MakeFifo(_tools.InWorkspace("pipe"));

        var result = await _tools.RunAsync("write_file", """{"path": "pipe", "content": "x"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("'pipe' is not a regular file (fifo); only regular files can be read or written.", result.Error);
        Assert.Equal(FileKind.Fifo, WorkspaceRoot.Probe(_tools.InWorkspace("pipe")).Kind);
    }

    [Fact]
    public async Task SearchFiles_DirectoryWithFifo_CompletesAndCountsItSkipped()
    {
        ToolHarness.MakeFifo(_tools.InWorkspace("pipe"));
        _tools.WriteWorkspaceFile("notes.txt", "needle");
        var clock = Stopwatch.StartNew();

        var result = await _tools.RunAsync("search_files", """{"query": "needle"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal(1, result.Output!["count"]!.GetValue<int>());
        Assert.Equal(1, result.Output["skipped_special"]!.GetValue<int>());
        Assert.True(clock.Elapsed < Prompt, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ListDir_Fifo_ListedAsFifoWithoutSize()
    {
        ToolHarness.MakeFifo(_tools.InWorkspace("pipe"));

        var result = await _tools.RunAsync("list_dir", """{"path": "."}""");

        var entry = Assert.Single(result.Output!["entries"]!.AsArray());
        Assert.Equal("fifo", entry!["type"]!.GetValue<string>());
        Assert.Null(entry["size"]);
    }

    [Fact]
    public void Probe_EachKind_ReadWithoutFollowingOrOpening()
    {
        ToolHarness.MakeFifo(_tools.InWorkspace("pipe"));
        File.WriteAllText(_tools.InWorkspace("file"), "12345");
        File.CreateSymbolicLink(_tools.InWorkspace("link"), "/dev/null");

        Assert.Equal((FileKind.Fifo, 0L), WorkspaceRoot.Probe(_tools.InWorkspace("pipe")));
        Assert.Equal((FileKind.Regular, 5L), WorkspaceRoot.Probe(_tools.InWorkspace("file")));
        Assert.Equal(FileKind.SymbolicLink, WorkspaceRoot.Probe(_tools.InWorkspace("link")).Kind);
        Assert.Equal(FileKind.CharacterDevice, WorkspaceRoot.Probe("/dev/null").Kind);
        Assert.Equal(FileKind.Directory, WorkspaceRoot.Probe(_tools.WorkspacePath).Kind);
        Assert.Equal(FileKind.Missing, WorkspaceRoot.Probe(_tools.InWorkspace("file", "below-a-file")).Kind);
    }
}
