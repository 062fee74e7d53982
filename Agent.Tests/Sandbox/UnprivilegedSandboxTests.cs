using Agent.Tests.Infrastructure;

namespace Agent.Tests.Sandbox;

/// <summary>The server as production runs it: an unprivileged user (nobody), so bwrap needs unprivileged user namespaces.</summary>
public sealed class UnprivilegedSandboxServer : IAsyncLifetime
{
    public const int Nobody = 65534;

    public SandboxedServer Server { get; private set; } = null!;

    // Run as root (as here), the tests drop the server to 'nobody' with setpriv; run unprivileged, it already is.
    public async Task InitializeAsync() => Server = await SandboxedServer.StartAsync(new Dictionary<string, string>
    {
        ["COMMAND_ALLOWLIST"] = "sh,cat",
        ["COMMAND_TIMEOUT"] = "2",
        ["SANDBOX_MAX_PROCESSES"] = "16",
    }, runAsUid: Environment.IsPrivilegedProcess ? Nobody : null);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Without root there is no cgroup: the process limit is RLIMIT_NPROC inside the sandbox's own user namespace.</summary>
[Trait("Category", "Process")]
public sealed class UnprivilegedSandboxTests(UnprivilegedSandboxServer fixture) : IClassFixture<UnprivilegedSandboxServer>
{
    private SandboxedServer Server => fixture.Server;

    [Fact]
    public async Task RunCommand_AsUnprivilegedServer_RunsSandboxedAndHidesTheServer()
    {
        var run = await Server.RunCommandAsync("cat", $"/proc/{Server.ServerPid}/environ", "/proc/1/environ", "/proc/self/uid_map");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        Assert.Contains($"/proc/{Server.ServerPid}/environ: No such file or directory", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("bubblewrap", run.Output!["sandbox"]!.GetValue<string>());
        Server.AssertNoSecretIn(run.AllText);
        Assert.Contains("Command sandbox: bubblewrap.", Server.ServerStdout, StringComparison.Ordinal);
        Assert.DoesNotContain("pids cgroup: the server runs as root", Server.ServerStdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_ManyBackgroundProcesses_StoppedByRlimitNproc()
    {
        var run = await Server.RunCommandAsync("sh", "-c", "for i in $(seq 100); do sleep 1 & done; echo all-started");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        Assert.Contains("Cannot fork", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("all-started", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_DaemonisedSleepOverTimeout_NoProcessLeft()
    {
        var before = ProcessTable.Running("sleep", "299");
        var run = Server.RunCommandAsync("sh", "-c", "sleep 299 & sleep 299");
        Assert.True(await Eventually.TryUntilAsync(() => ProcessTable.Running("sleep", "299").Except(before).Count() == 2, TimeSpan.FromSeconds(10)),
            "the two sleeps never appeared in the process table");

        var result = await run;

        Assert.Equal("timeout", result.Status);
        result.AssertAudited();
        Assert.EndsWith("its sandbox and every process in it were killed.", result.Error, StringComparison.Ordinal);
        Assert.True(await Eventually.TryUntilAsync(() => !ProcessTable.Running("sleep", "299").Except(before).Any(), TimeSpan.FromSeconds(3)),
            "a sleep from the sandbox is still running");
    }
}
