using Agent.Core.Configuration;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Tests.Configuration;

/// <summary>Section RunLimits: the documented defaults, the seed-style environment names, and validation naming each key.</summary>
[Trait("Category", "Process")]
public sealed class RunLimitsOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedBounds()
    {
        using var tools = new ToolHarness();

        var limits = tools.Services.GetRequiredService<IOptions<RunLimitsOptions>>().Value;

        Assert.Equal(8, limits.MaxToolCallsPerTurn);
        Assert.Equal(50, limits.MaxToolCallsPerRun);
        Assert.Equal(65_536, limits.MaxToolArgumentBytes);
        Assert.Equal(1_048_576, limits.MaxRunOutputBytes);
        Assert.Equal(1_048_576, limits.MaxEventHistoryBytes);
        Assert.Equal(67_108_864, limits.MaxFinishedRunsBytes);
        Assert.Equal(1000, limits.MaxFinishedRuns);
        Assert.Equal(30, limits.FinishedRunMinutes);
    }

    [Fact]
    public void Validate_BadValues_EveryFailureNamesItsVariableAndKey()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?>
        {
            ["RunLimits:MaxToolCallsPerTurn"] = "0",
            ["RunLimits:MaxToolCallsPerRun"] = "-5",
            ["RunLimits:MaxToolArgumentBytes"] = "10",
            ["RunLimits:MaxRunOutputBytes"] = "0",
            ["RunLimits:MaxEventHistoryBytes"] = "100",
            ["RunLimits:MaxFinishedRunsBytes"] = "-1",
            ["RunLimits:MaxFinishedRuns"] = "-1",
            ["RunLimits:FinishedRunMinutes"] = "99999",
        });

        var error = Assert.Throws<OptionsValidationException>(() => tools.Services.GetRequiredService<IOptions<RunLimitsOptions>>().Value);

        Assert.Equal(
        [
            "MAX_TOOL_CALLS_PER_TURN (RunLimits:MaxToolCallsPerTurn) must be between 1 and 1000.",
            "MAX_TOOL_CALLS_PER_RUN (RunLimits:MaxToolCallsPerRun) must be between 1 and 100000.",
            "MAX_TOOL_ARGUMENT_SIZE (RunLimits:MaxToolArgumentBytes) must be between 1024 and 104857600 bytes.",
            "MAX_RUN_OUTPUT_SIZE (RunLimits:MaxRunOutputBytes) must be between 1024 and 1073741824 bytes.",
            "RUN_EVENTS_MAX_BYTES (RunLimits:MaxEventHistoryBytes) must be between 16384 and 1073741824 bytes.",
            "FINISHED_RUNS_MAX_BYTES (RunLimits:MaxFinishedRunsBytes) must be between 0 and 17179869184 bytes.",
            "FINISHED_RUNS_MAX (RunLimits:MaxFinishedRuns) must be between 0 and 1000000.",
            "FINISHED_RUNS_KEEP_MINUTES (RunLimits:FinishedRunMinutes) must be between 0 and 10080 minutes.",
        ], error.Failures);
    }

    [Theory]
    [InlineData("MAX_TOOL_CALLS_PER_TURN", "0", "MAX_TOOL_CALLS_PER_TURN (RunLimits:MaxToolCallsPerTurn) must be between 1 and 1000.")]
    [InlineData("MAX_TOOL_ARGUMENT_SIZE", "lots", "MAX_TOOL_ARGUMENT_SIZE (RunLimits:MaxToolArgumentBytes) has value 'lots'")]
    public async Task Start_InvalidBound_ExitsWithOneLineNamingTheVariable(string variable, string value, string expected)
    {
        using var directory = new TempDirectory();

        await using var server = AgentProcess.Start(directory.Path, new Dictionary<string, string>
        {
            [variable] = value,
            ["WORKSPACE_ROOT"] = Path.Combine(directory.Path, "workspace"),
            ["DATABASE_PATH"] = Path.Combine(directory.Path, "data", "agent.db"),
        });

        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the server should refuse to start");
        Assert.Equal(2, server.ExitCode);
        var line = Assert.Single(server.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Invalid configuration: ", line);
        Assert.Contains(expected, line);
    }
}
