using System.Net;
using System.Net.Sockets;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Sandbox;

/// <summary>The server as a child process with keys in its environment; the model runs allowed programs that try to see them.</summary>
public sealed class SandboxIsolationServer : IAsyncLifetime
{
    public SandboxedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SandboxedServer.StartAsync(new Dictionary<string, string>
    {
        ["COMMAND_ALLOWLIST"] = "cat,ls,find,git,sh,bash",
        // find walks the whole of /usr: generous on a busy machine.
        ["COMMAND_TIMEOUT"] = "100",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Attacks from inside the bubblewrap sandbox (real bwrap): nothing of the server is visible or reachable.</summary>
[Trait("Category", "Process")]
public sealed class SandboxIsolationTests(SandboxIsolationServer fixture) : IClassFixture<SandboxIsolationServer>
{
    private SandboxedServer Server => fixture.Server;

    [Fact]
    public async Task RunCommand_CatServerAndPid1Environ_RevealsNoKey()
    {
        var server = await Server.RunCommandAsync("cat", $"/proc/{Server.ServerPid}/environ", "/proc/1/environ");

        Assert.Equal("success", server.Status);
        server.AssertAudited();
        Assert.Equal(1, server.ExitCode);
        Assert.Contains($"/proc/{Server.ServerPid}/environ: No such file or directory", server.Stderr, StringComparison.Ordinal);
        // PID 1 is the sandbox's own init (bwrap), started with an empty environment.
        Assert.Equal("", server.Stdout);
        Server.AssertNoSecretIn(server.AllText);
    }

    [Fact]
    public async Task RunCommand_ListRoot_ShowsOnlyTheSandboxTree()
    {
        var run = await Server.RunCommandAsync("ls", "-a", "/");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        var expected = new[] { ".", "..", "dev", "etc", "proc", "tmp", "usr", "workspace" }
            .Concat(new[] { "bin", "sbin", "lib", "lib32", "lib64", "libx32" }.Where(d => Path.Exists("/" + d)))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunCommand_FindDatabasesEverywhere_FindsNoAuditDatabase()
    {
        Assert.True(File.Exists(Server.DatabasePath));

        var run = await Server.RunCommandAsync("find", "/", "-name", "*.db");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        Assert.False(run.Output!["stdout_truncated"]!.GetValue<bool>());
        Assert.DoesNotContain("agent.db", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetDirectoryName(Server.DatabasePath)!, run.Stdout + run.Stderr, StringComparison.Ordinal);
        // The walk did cover the sandbox: the workspace and the system directories are there.
        Assert.DoesNotContain("/workspace:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_ReadContentRootShadowHomeAndBinaries_AllFail()
    {
        var contentRootSecret = Path.Combine(Server.ContentRoot, "server-secret.txt");
        var homeSecret = Path.Combine(Server.Home, "home-secret.txt");

        var run = await Server.RunCommandAsync("cat", contentRootSecret, "/etc/shadow", homeSecret, Path.Combine(AppContext.BaseDirectory, "Agent.Web.dll"), "/root/.bashrc");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        foreach (var path in new[] { contentRootSecret, "/etc/shadow", homeSecret, "/root/.bashrc" })
        {
            Assert.Contains($"cat: {path}: No such file or directory", run.Stderr, StringComparison.Ordinal);
        }
        Server.AssertNoSecretIn(run.AllText);
    }

    [Fact]
    public async Task RunCommand_WritesOutsideTheWorkspace_FailAndWorkspaceWriteWorks()
    {
        var run = await Server.RunCommandAsync("sh", "-c", "echo x > /usr/pwned; echo x > /etc/pwned; echo x > /pwned; echo kept > /tmp/t && cat /tmp/t; echo ok > inside.txt");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        Assert.Equal("kept\n", run.Stdout);
        Assert.Equal(3, run.Stderr.Split("Read-only file system").Length - 1);
        Assert.Equal("ok\n", File.ReadAllText(Path.Combine(Server.WorkspacePath, "inside.txt")));
        Assert.False(File.Exists("/usr/pwned"));
    }

    [Fact]
    public async Task RunCommand_GitAliasRunningAShell_RunsButRevealsNothing()
    {
        var run = await Server.RunCommandAsync("git", "-c", $"alias.x=!cat /proc/{Server.ServerPid}/environ /proc/1/environ; env; id", "x");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        Assert.Contains($"/proc/{Server.ServerPid}/environ: No such file or directory", run.Stderr, StringComparison.Ordinal);
        // The alias's shell did run (env and id printed), inside the sandbox.
        Assert.Contains("PWD=/workspace", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("uid=", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("AGENT_API_KEY", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("LLM_", run.Stdout, StringComparison.Ordinal);
        Server.AssertNoSecretIn(run.AllText);
    }

    [Fact]
    public async Task RunCommand_NetworkBlocked_CannotConnectToAHostListener()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var run = await Server.RunCommandAsync("bash", "-c", $"echo hello > /dev/tcp/127.0.0.1/{port} && echo connected");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("Connection refused", run.Stderr, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "a connection reached the host's listener");
    }

    [Fact]
    public void StartUp_LogsTheSandboxModeOnce()
    {
        Assert.Equal(1, Server.ServerStdout.Split("Command sandbox: bubblewrap.").Length - 1);
    }
}
