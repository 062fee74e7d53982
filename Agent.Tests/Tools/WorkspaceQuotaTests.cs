using System.Net;
using System.Text.Json;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agent.Tests.Tools;

/// <summary>write_file keeps the whole workspace under WORKSPACE_QUOTA_BYTES and WORKSPACE_QUOTA_FILES; a refusal is a blocked, audited execution and the run goes on.</summary>
public sealed class WorkspaceQuotaTests
{
    [Fact]
    public async Task Run_WriteBeyondByteQuota_BlockedExecutionAuditedAndNothingWritten()
    {
        await using var app = App(new() { ["Tools:WorkspaceQuotaBytes"] = "2048" }, ("big.txt", new string('x', 100)));
        File.WriteAllText(Path.Combine(app.WorkspacePath, "existing.bin"), new string('y', 2000));

        var (id, execution) = await RunOneWriteAsync(app);

        Assert.Equal("blocked", execution.GetProperty("status").GetString());
        const string reason = "The workspace would hold 2100 bytes; the quota is 2048 bytes (WORKSPACE_QUOTA_BYTES). Nothing was written.";
        Assert.Equal(reason, execution.GetProperty("error").GetString());
        var row = Assert.Single(await app.QueryAsync($"SELECT tool_name, status, error FROM tool_executions WHERE request_id = '{id}'"));
        Assert.Equal("write_file", row["tool_name"]);
        Assert.Equal("blocked", row["status"]);
        Assert.Equal(reason, row["error"]);
        Assert.False(File.Exists(Path.Combine(app.WorkspacePath, "big.txt")));
    }

    [Fact]
    public async Task Run_NewFilesBeyondFileQuota_BlockedExecutionAuditedAndNoDirectoryCreated()
    {
        await using var app = App(new() { ["Tools:WorkspaceQuotaFiles"] = "3" }, ("a/b/new.txt", "x"));
        File.WriteAllText(Path.Combine(app.WorkspacePath, "one.txt"), "1");

        var (id, execution) = await RunOneWriteAsync(app);

        const string reason = "The workspace would hold 4 entries; the quota is 3 files (WORKSPACE_QUOTA_FILES). Nothing was written.";
        Assert.Equal("blocked", execution.GetProperty("status").GetString());
        var row = Assert.Single(await app.QueryAsync($"SELECT status, error FROM tool_executions WHERE request_id = '{id}'"));
        Assert.Equal("blocked", row["status"]);
        Assert.Equal(reason, row["error"]);
        Assert.Equal(["one.txt"], Directory.GetFileSystemEntries(app.WorkspacePath).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WriteFile_ReplacingWithinQuota_SucceedsAndCountsOnlyTheDifference()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?> { ["Tools:WorkspaceQuotaBytes"] = "2048", ["Tools:WorkspaceQuotaFiles"] = "2" });
        tools.WriteWorkspaceFile("report.txt", new string('a', 1500));
        tools.WriteWorkspaceFile("other.txt", "b");

        var replaced = await tools.RunAsync("write_file", $$"""{"path": "report.txt", "content": "{{new string('c', 2000)}}"}""");
        var third = await tools.RunAsync("write_file", """{"path": "third.txt", "content": "c"}""");

        Assert.Equal(ToolExecutionStatus.Success, replaced.Status);
        Assert.Equal(ToolExecutionStatus.Blocked, third.Status);
        Assert.Contains("(WORKSPACE_QUOTA_FILES)", third.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WORKSPACE_QUOTA_BYTES", "100", "WORKSPACE_QUOTA_BYTES (Tools:WorkspaceQuotaBytes) must be between")]
    [InlineData("WORKSPACE_QUOTA_FILES", "0", "WORKSPACE_QUOTA_FILES (Tools:WorkspaceQuotaFiles) must be between")]
    public void Validate_OutOfRangeQuota_NamesTheSetting(string variable, string value, string expected)
    {
        var key = Agent.Core.Configuration.ConfigurationKeys.EnvironmentToKey[variable];
        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build()
            .GetSection(ToolsOptions.SectionName).Get<ToolsOptions>()!;

        var result = new ToolsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    private static AgentApplication App(Dictionary<string, string?> settings, (string Path, string Content) write) => new(settings)
    {
        ConfigureServices = services => services.AddSingleton<IChatCompletionService>(new ScriptedChatService(
            [("write_file", new KernelArguments { ["path"] = write.Path, ["content"] = write.Content })])),
    };

    private static async Task<(string Id, JsonElement Execution)> RunOneWriteAsync(AgentApplication app)
    {
        var response = await app.RunAsync("write the report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        // The refusal does not end the run: the model is told and answers; the run reports the failed execution.
        Assert.Equal("tool_error", root.GetProperty("status").GetString());
        Assert.Equal("scripted answer", root.GetProperty("output").GetString());
        return (root.GetProperty("request_id").GetString()!, Assert.Single(root.GetProperty("tool_executions").EnumerateArray()).Clone());
    }
}
