using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Tools;

/// <summary>Allowlist, disabled tools and blocked permissions: refused before validation, and the tool never runs.</summary>
public sealed class PermissionTests
{
    [Theory]
    [InlineData("delete_everything")]
    [InlineData("Read_File")]
    [InlineData("read_file ")]
    [InlineData("")]
    public async Task ExecuteAsync_UnregisteredName_UnknownTool(string name)
    {
        using var tools = new ToolHarness();

        var result = await tools.RunAsync(name, """{"path": "x"}""");

        Assert.Equal(ToolExecutionStatus.UnknownTool, result.Status);
        Assert.Equal($"Tool '{name}' is not in the allowlist.", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_DisabledTool_UnknownToolAndNotRun()
    {
        var counting = new CountingTool();
        using var tools = new ToolHarness(
            new Dictionary<string, string?> { ["Agent:DisabledTools"] = "write_file,counting" },
            s => s.AddSingleton<IAgentTool>(counting));

        var write = await tools.RunAsync("write_file", """{"path": "x.txt", "content": "x"}""");
        var count = await tools.RunAsync("counting", """{"n": 1}""");

        Assert.Equal(ToolExecutionStatus.UnknownTool, write.Status);
        Assert.Equal(ToolExecutionStatus.UnknownTool, count.Status);
        Assert.Equal(0, counting.Executions);
        Assert.False(File.Exists(tools.InWorkspace("x.txt")));
    }

    [Fact]
    public async Task RunCommand_DefaultPolicy_BlockedAndNothingStarted()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Tools:CommandAllowlist"] = "touch" });

        var result = await tools.RunAsync("run_command", """{"command": "touch", "args": ["pwned"]}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Tool 'run_command' requires blocked permission(s): execute.", result.Error);
        Assert.False(File.Exists(tools.InWorkspace("pwned")));
    }

    [Fact]
    public async Task HttpGet_DefaultPolicy_BlockedAndNoRequestSent()
    {
        var network = new FakeHttpHandler(_ => FakeHttpHandler.Text("hi"));
        using var tools = new ToolHarness(
            new Dictionary<string, string?> { ["Tools:HttpAllowedHosts"] = "example.com" },
            s => s.AddHttpClient(Agent.Core.Tools.BuiltIn.HttpGetTool.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => network));

        var result = await tools.RunAsync("http_get", """{"url": "https://example.com/"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Tool 'http_get' requires blocked permission(s): network.", result.Error);
        Assert.Empty(network.Requests);
    }

    [Fact]
    public async Task WriteFile_WriteBlocked_BlockedAndNothingWritten()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Agent:BlockedPermissions"] = "write,network,execute" });

        var result = await tools.RunAsync("write_file", """{"path": "x.txt", "content": "x"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Tool 'write_file' requires blocked permission(s): write.", result.Error);
        Assert.False(File.Exists(tools.InWorkspace("x.txt")));
    }

    [Fact]
    public async Task ReadTools_ReadBlocked_AllBlocked()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Agent:BlockedPermissions"] = "read" });
        tools.WriteWorkspaceFile("notes.txt", "hello");

        var read = await tools.RunAsync("read_file", """{"path": "notes.txt"}""");
        var list = await tools.RunAsync("list_dir", null);
        var search = await tools.RunAsync("search_files", """{"query": "hello"}""");

        Assert.All([read, list, search], r => Assert.Equal(ToolExecutionStatus.Blocked, r.Status));
        Assert.Equal("Tool 'read_file' requires blocked permission(s): read.", read.Error);
        Assert.Null(read.Output);
    }

    [Fact]
    public async Task ExecuteAsync_BlockedToolWithInvalidInput_BlockedBeforeValidation()
    {
        var counting = new CountingTool("netcount", ToolPermission.Network);
        using var tools = new ToolHarness(configure: s => s.AddSingleton<IAgentTool>(counting));

        var result = await tools.RunAsync("netcount", """{"n": "not a number"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal(0, counting.Executions);
    }
}
