using System.Text.Json;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agent.Tests.Api;

public sealed class RunLogScopeTests
{
    [Fact]
    public async Task Run_LogLinesWrittenWhileItRuns_CarryItsRunId()
    {
        var logs = new ScopeCapturingLoggerProvider();
        await using var app = new AgentApplication { ConfigureServices = services => services.AddSingleton<ILoggerProvider>(logs) };
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "hello");

        var first = JsonDocument.Parse(await (await app.RunAsync("read notes.txt")).Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
        var second = JsonDocument.Parse(await (await app.RunAsync("check your health")).Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();

        var runLines = logs.Lines.Where(l => l.Category.StartsWith("Agent.Core.Runs", StringComparison.Ordinal) || l.Category.StartsWith("Agent.Core.Tools", StringComparison.Ordinal)).ToList();
        Assert.Contains(runLines, l => l.Message.Contains("read_file", StringComparison.Ordinal) && Equals(l.Scope.GetValueOrDefault("RunId"), first));
        Assert.Contains(runLines, l => l.Message.Contains("health_check", StringComparison.Ordinal) && Equals(l.Scope.GetValueOrDefault("RunId"), second));
        Assert.All(runLines, l => Assert.True(l.Scope.ContainsKey("RunId"), $"no run id on: {l.Category}: {l.Message}"));
    }
}
