using System.Globalization;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Agent.Tests.Tools;

/// <summary>run_command with execute allowed: allowlist, no shell, workspace cwd, scrubbed environment, caps, tree kill.</summary>
[Trait("Category", "Process")]
public sealed class RunCommandToolTests : IDisposable
{
    private readonly ToolHarness _tools = new(Settings(commandTimeout: 2));

    private static Dictionary<string, string?> Settings(int commandTimeout) => new()
    {
        ["Agent:BlockedPermissions"] = "network",
        ["Tools:CommandAllowlist"] = "echo,env,pwd,seq,sh,cat",
        ["Tools:CommandTimeout"] = commandTimeout.ToString(CultureInfo.InvariantCulture),
        // Beyond any COMMAND_TIMEOUT here, so the command's own deadline is always the one reached.
        ["Agent:MaxToolTimeout"] = "600",
        ["Tools:CommandMaxOutput"] = "1000",
        ["Agent:MaxOutputSize"] = "100000",
    };

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
        // COMMAND_TIMEOUT runs on the injected clock: two minutes of it pass here without waiting for them.
        var clock = new FakeTimeProvider();
        using var tools = new ToolHarness(Settings(commandTimeout: 120), s => s.AddSingleton<TimeProvider>(clock));
        var before = ProcessTable.Running("sleep", "31.25");
        var running = tools.RunAsync("run_command", """{"command": "sh", "args": ["-c", "sleep 31.25 & echo started; wait"]}""");
        // The sandbox really runs (so the kill below can fail) before any time passes.
        await Eventually.UntilAsync(() => ProcessTable.Running("sleep", "31.25").Except(before).Any(), TimeSpan.FromSeconds(10), "the sandboxed sleep starting");

        // The tool arms its deadline as it starts the sandbox, so one step reaches it; more only if a slow thread armed it late.
        for (var step = 0; step < 4 && !running.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(120));
            await Task.WhenAny(running, Task.Delay(500));
        }
        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ToolExecutionStatus.Timeout, result.Status);
        Assert.Equal("Command 'sh' exceeded the 120 s limit (COMMAND_TIMEOUT); its sandbox and every process in it were killed.", result.Error);
        Assert.True(await Eventually.TryUntilAsync(() => !ProcessTable.Running("sleep", "31.25").Except(before).Any(), TimeSpan.FromSeconds(3)),
            "the background sleep survived the timeout");
    }
}
