using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Agent.Core.Configuration;
using Agent.Core.Sandbox;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Sandbox;

/// <summary>Sandbox settings: argument rules, a missing bwrap, the explicit opt-out, network only when allowed, validation.</summary>
[Trait("Category", "Process")]
public sealed class SandboxSettingsTests
{
    private static Dictionary<string, string?> Execute(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Agent:BlockedPermissions"] = "network",
            ["Tools:CommandAllowlist"] = "git,sh,bash,pwd",
            ["Tools:CommandTimeout"] = "20",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Theory]
    [InlineData("-c", "-c")]
    [InlineData("-calias.x=!id", "-c")]
    [InlineData("--exec-path=/workspace", "--exec-path")]
    [InlineData("--config-env=alias.x=X", "--config-env")]
    public async Task RunCommand_ArgumentDeniedByCommandArgs_BlockedAndNotStarted(string argument, string rule)
    {
        using var tools = new ToolHarness(Execute(("Tools:CommandArgs:git", "-c, --exec-path,--config-env")));

        var result = await tools.RunAsync("run_command", new JsonObject { ["command"] = "git", ["args"] = new JsonArray("status", argument, "x") }.ToJsonString());

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Argument '{argument}' is not allowed for 'git' (Tools:CommandArgs:git denies '{rule}').", result.Error);
        Assert.Null(result.Output);
    }

    [Fact]
    public async Task RunCommand_ArgumentRuleOfAnotherCommand_DoesNotApply()
    {
        using var tools = new ToolHarness(Execute(("Tools:CommandArgs:git", "-c")));

        var result = await tools.RunAsync("run_command", """{"command": "sh", "args": ["-c", "echo fine"]}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("fine\n", result.Output!["stdout"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunCommand_BwrapMissing_BlockedWithTheReasonAndAudited()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?>(Execute(("Tools:SandboxBwrapPath", "/nonexistent/bwrap")))
        {
            ["Agent:BlockedPermissions"] = "network",
        })
        {
            ConfigureServices = services => services.AddSingleton<IChatCompletionService>(new ScriptedChatService(
                [("run_command", new KernelArguments { ["command"] = "sh", ["args"] = new[] { "-c", "echo x > ran.txt" } })])),
        };

        var response = await app.RunAsync("run something");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var execution = Assert.Single(body["tool_executions"]!.AsArray())!;
        Assert.Equal("blocked", execution["status"]!.GetValue<string>());
        const string Reason = "run_command is unavailable: bubblewrap was not found at /nonexistent/bwrap (SANDBOX_BWRAP_PATH); install the Debian package 'bubblewrap'.";
        Assert.Equal(Reason, execution["error"]!.GetValue<string>());
        Assert.Null(execution["output"]);
        Assert.False(File.Exists(Path.Combine(app.WorkspacePath, "ran.txt")));
        var row = Assert.Single(await app.QueryAsync($"SELECT status, error, output FROM tool_executions WHERE request_id = '{body["request_id"]}'"));
        Assert.Equal("blocked", row["status"]);
        Assert.Equal(Reason, row["error"]);
        var status = app.Services.GetRequiredService<CommandSandbox>().Status;
        Assert.Equal(("unavailable", false), (status.Mode, status.CanRun));
    }

    [Fact]
    public async Task RunCommand_SandboxNone_RunsUnconfinedInTheHostWorkspace()
    {
        using var tools = new ToolHarness(Execute(("Tools:Sandbox", "none")));

        var result = await tools.RunAsync("run_command", """{"command": "sh", "args": ["-c", "pwd; ls -A / | grep -c ."]}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        var lines = result.Output!["stdout"]!.GetValue<string>().Split('\n');
        Assert.Equal(tools.Workspace.FullPath, lines[0]);
        Assert.Equal(Directory.GetFileSystemEntries("/").Length, int.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("none", result.Output["sandbox"]!.GetValue<string>());
        Assert.Equal("none", tools.Services.GetRequiredService<CommandSandbox>().Status.Mode);
    }

    [Fact]
    public async Task RunCommand_NetworkAllowed_SandboxSharesTheNetwork()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var tools = new ToolHarness(Execute(("Agent:BlockedPermissions", "")));

        var result = await tools.RunAsync("run_command", new JsonObject
        {
            ["command"] = "bash",
            ["args"] = new JsonArray("-c", $"echo hello > /dev/tcp/127.0.0.1/{port} && echo connected"),
        }.ToJsonString());

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("connected\n", result.Output!["stdout"]!.GetValue<string>());
        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("bubblewrap", result.Output["sandbox"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunCommand_CpuLimit_StopsABusyLoop()
    {
        using var tools = new ToolHarness(Execute(("Tools:SandboxCpuSeconds", "1")));

        var result = await tools.RunAsync("run_command", """{"command": "sh", "args": ["-c", "sh -c 'while :; do :; done'; echo exit=$?"]}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        // 152 = 128 + SIGXCPU.
        Assert.Equal("exit=152\n", result.Output!["stdout"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("bubblewrap", "/usr/bin/bwrap", "bubblewrap", "bubblewrap at /usr/bin/bwrap: own user, PID, IPC, UTS, cgroup and network namespaces")]
    [InlineData("bubblewrap", "/nonexistent/bwrap", "unavailable", "bubblewrap was not found at /nonexistent/bwrap")]
    [InlineData("none", "/usr/bin/bwrap", "none", "Unsafe.")]
    public async Task HealthCheck_ReportsTheSandboxMode(string setting, string bwrap, string mode, string detail)
    {
        using var tools = new ToolHarness(Execute(("Tools:Sandbox", setting), ("Tools:SandboxBwrapPath", bwrap)));

        var result = await tools.RunAsync("health_check", null);

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal(mode, result.Output!["command_sandbox"]!.GetValue<string>());
        Assert.Contains(detail, result.Output["command_sandbox_detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadSandboxSettings_EveryFailureNamesItsKey()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?>
        {
            ["Tools:Sandbox"] = "docker",
            ["Tools:SandboxBwrapPath"] = "bwrap",
            ["Tools:SandboxCpuSeconds"] = "0",
            ["Tools:SandboxAddressSpaceMb"] = "1",
            ["Tools:SandboxMaxProcesses"] = "1",
            ["Tools:SandboxMaxFileSizeMb"] = "0",
            ["Tools:SandboxMaxOpenFiles"] = "3",
            ["Tools:CommandArgs:git"] = " , ",
            ["Tools:CommandArgs:/bin/sh"] = "-c",
        });

        var error = Assert.Throws<OptionsValidationException>(() => tools.Services.GetRequiredService<IOptions<ToolsOptions>>().Value);

        Assert.Equal(
        [
            "SANDBOX (Tools:Sandbox) must be 'bubblewrap' or 'none'.",
            "SANDBOX_BWRAP_PATH (Tools:SandboxBwrapPath) must be an absolute path to the bwrap executable.",
            "SANDBOX_CPU_SECONDS (Tools:SandboxCpuSeconds) must be between 1 and 86400 seconds.",
            "SANDBOX_ADDRESS_SPACE_MB (Tools:SandboxAddressSpaceMb) must be between 64 and 1048576 MiB.",
            "SANDBOX_MAX_PROCESSES (Tools:SandboxMaxProcesses) must be between 4 and 65536.",
            "SANDBOX_MAX_FILE_SIZE_MB (Tools:SandboxMaxFileSizeMb) must be between 1 and 1048576 MiB.",
            "SANDBOX_MAX_OPEN_FILES (Tools:SandboxMaxOpenFiles) must be between 16 and 1048576.",
            "Tools:CommandArgs:/bin/sh names no valid command; use a bare executable name (e.g. 'git').",
            "Tools:CommandArgs:git is ' , '; list the argument prefixes to deny, comma-separated (e.g. '-c,--exec-path').",
        ], error.Failures);
    }

    [Fact]
    public void EnvironmentToKey_SandboxSettings_MappedToToolsSection()
    {
        Assert.Equal("Tools:Sandbox", ConfigurationKeys.EnvironmentToKey["SANDBOX"]);
        Assert.Equal("Tools:SandboxMaxProcesses", ConfigurationKeys.EnvironmentToKey["SANDBOX_MAX_PROCESSES"]);
    }
}
