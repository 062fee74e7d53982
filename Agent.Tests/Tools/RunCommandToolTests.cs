using System.Diagnostics;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Tools;

/// <summary>run_command with execute allowed: allowlist, no shell, workspace cwd, scrubbed environment, caps, tree kill.</summary>
[Trait("Category", "Process")]
public sealed class RunCommandToolTests : IDisposable
{
    private readonly ToolHarness _tools = new(new Dictionary<string, string?>
    {
        ["Agent:BlockedPermissions"] = "network",
        ["Tools:CommandAllowlist"] = "echo,env,pwd,seq,sh,cat",
        ["Tools:CommandTimeout"] = "2",
        ["Tools:CommandMaxOutput"] = "1000",
        ["Agent:MaxOutputSize"] = "100000",
    });

    public void Dispose() => _tools.Dispose();

    [Fact]
    public async Task ExecuteAsync_CommandNotOnAllowlist_BlockedAndNotStarted()
    {
        var result = await _tools.RunAsync("run_command", """{"command": "touch", "args": ["pwned"]}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Command 'touch' is not on the allowlist (COMMAND_ALLOWLIST).", result.Error);
        Assert.False(File.Exists(_tools.InWorkspace("pwned")));
    }

    [Fact]
    public async Task ExecuteAsync_ShellMetacharactersInArgs_PassedLiterallyWithoutAShell()
    {
        var result = await _tools.RunAsync("run_command", """{"command": "echo", "args": ["$(touch pwned)", "; rm -rf .", "|", "`id`"]}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("$(touch pwned) ; rm -rf . | `id`\n", result.Output!["stdout"]!.GetValue<string>());
        Assert.False(File.Exists(_tools.InWorkspace("pwned")));
    }

    [Fact]
    public async Task ExecuteAsync_Environment_OnlyPathHomeTmpdirAndLang()
    {
        Environment.SetEnvironmentVariable("AGENT_TEST_SECRET_TOKEN", "leak-me");

        var result = await _tools.RunAsync("run_command", """{"command": "env"}""");

        var lines = result.Output!["stdout"]!.GetValue<string>().Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        Assert.Equal(["HOME=/tmp", "LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin", "PWD=/workspace", "TMPDIR=/tmp"], lines);
    }

    [Fact]
    public async Task ExecuteAsync_WorkingDirectory_IsTheWorkspaceMountedAtAFixedPath()
    {
        _tools.WriteWorkspaceFile("marker.txt", "here");

        var result = await _tools.RunAsync("run_command", """{"command": "sh", "args": ["-c", "pwd; cat marker.txt"]}""");

        Assert.Equal("/workspace\nhere", result.Output!["stdout"]!.GetValue<string>());
        Assert.Equal(0, result.Output["exit_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExecuteAsync_OutputOverCommandMaxOutput_CappedAndFlagged()
    {
        var result = await _tools.RunAsync("run_command", """{"command": "seq", "args": ["1", "100000"]}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal(1000, result.Output!["stdout"]!.GetValue<string>().Length);
        Assert.True(result.Output["stdout_truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ExecuteAsync_StdinReadingCommand_GetsEndOfInputInsteadOfHanging()
    {
        var result = await _tools.RunAsync("run_command", """{"command": "cat"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("", result.Output!["stdout"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_CommandOverTimeout_TimeoutAndWholeSandboxKilled()
    {
        var clock = Stopwatch.StartNew();

        var result = await _tools.RunAsync("run_command", """{"command": "sh", "args": ["-c", "sleep 31.25 & echo started; wait"]}""");

        Assert.Equal(ToolExecutionStatus.Timeout, result.Status);
        Assert.Equal("Command 'sh' exceeded the 2 s limit (COMMAND_TIMEOUT); its sandbox and every process in it were killed.", result.Error);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(8));
        Assert.True(await Eventually.TryUntilAsync(() => ProcessTable.Running("sleep", "31.25").Count == 0, TimeSpan.FromSeconds(3)),
            "the background sleep survived the timeout");
    }
}
