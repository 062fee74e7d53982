using System.Diagnostics;
using System.Net;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Sandbox;

/// <summary>A server whose sandbox has a 2 s timeout, 32 processes and 16 MiB files.</summary>
public sealed class SandboxLimitServer : IAsyncLifetime
{
    public SandboxedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SandboxedServer.StartAsync(new Dictionary<string, string>
    {
        ["COMMAND_ALLOWLIST"] = "sh,bash,head",
        ["COMMAND_TIMEOUT"] = "2",
        ["SANDBOX_MAX_PROCESSES"] = "32",
        ["SANDBOX_MAX_FILE_SIZE_MB"] = "16",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Timeouts kill the whole sandbox; the resource limits stop fork bombs and disk fillers while the server keeps serving.</summary>
[Trait("Category", "Process")]
public sealed class SandboxLimitTests(SandboxLimitServer fixture) : IClassFixture<SandboxLimitServer>
{
    private SandboxedServer Server => fixture.Server;

    [Fact]
    public async Task RunCommand_DaemonisedSleepOverTimeout_NoProcessLeft()
    {
        var before = ProcessTable.Running("sleep", "300");
        var run = Server.RunCommandAsync("sh", "-c", "sleep 300 & disown; sleep 300");

        // The sleeps really started (so the check below can fail): watched for the whole run, which a loaded machine may shorten.
        var seen = 0;
        while (!run.IsCompleted)
        {
            seen = Math.Max(seen, ProcessTable.Running("sleep", "300").Except(before).Count());
            await Task.Delay(20);
        }
        Assert.True(seen >= 1, "no sleep from the sandbox ever appeared in the process table");
        var result = await run;

        Assert.Equal("timeout", result.Status);
        result.AssertAudited();
        Assert.Equal("Command 'sh' exceeded the 2 s limit (COMMAND_TIMEOUT); its sandbox and every process in it were killed.", result.Error);
        // ... and none survived.
        Assert.True(await Eventually.TryUntilAsync(() => !ProcessTable.Running("sleep", "300").Except(before).Any(), TimeSpan.FromSeconds(3)),
            "a sleep from the sandbox is still running");
    }

    [Fact]
    public async Task RunCommand_ManyBackgroundProcesses_StoppedAtTheProcessLimit()
    {
        var run = await Server.RunCommandAsync("sh", "-c", "for i in $(seq 100); do sleep 1 & done; echo all-started");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        Assert.Contains("Cannot fork", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("all-started", run.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, run.ExitCode);
    }

    [Fact]
    public async Task RunCommand_ForkBomb_ContainedKilledAndServerKeepsAnswering()
    {
        // Each copy starts two more and then lingers, so the sandbox stays full until the timeout.
        const string Bomb = "bomb() { bomb | bomb & sleep 5; }; bomb";
        using var health = new HttpClient { BaseAddress = Server.BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var run = Server.RunCommandAsync("bash", "-c", Bomb);
        var answers = new List<(HttpStatusCode Status, TimeSpan Took)>();
        var most = 0;
        while (!run.IsCompleted)
        {
            // Every copy of the bomb is a forked bash with the same command line; bash retries a failed fork instead of giving up.
            most = Math.Max(most, ProcessTable.Running("bash", "-c", Bomb).Count);
            var clock = Stopwatch.StartNew();
            answers.Add(((await health.GetAsync("/health")).StatusCode, clock.Elapsed));
            await Task.Delay(50);
        }
        var result = await run;

        Assert.InRange(most, 5, 32);
        Assert.True(await Eventually.TryUntilAsync(() => ProcessTable.Running("bash", "-c", Bomb).Count == 0, TimeSpan.FromSeconds(3)), "bomb processes survived");

        Assert.Equal("timeout", result.Status);
        Assert.Equal("Command 'bash' exceeded the 2 s limit (COMMAND_TIMEOUT); its sandbox and every process in it were killed.", result.Error);
        result.AssertAudited();
        Assert.NotEmpty(answers);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.True(a.Took < TimeSpan.FromSeconds(3), $"/health took {a.Took}"));
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task RunCommand_OneGibibyteWrite_StoppedAtTheFileSizeLimit()
    {
        var run = await Server.RunCommandAsync("sh", "-c", "head -c 1073741824 /dev/zero > big.bin; echo exit=$?");

        Assert.Equal("success", run.Status);
        run.AssertAudited();
        // 153 = 128 + SIGXFSZ: the kernel stopped head at the limit.
        Assert.Equal("exit=153\n", run.Stdout);
        Assert.Equal(16L * 1024 * 1024, new FileInfo(Path.Combine(Server.WorkspacePath, "big.bin")).Length);
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient { BaseAddress = Server.BaseUrl }.GetAsync("/health")).StatusCode);
    }
}
