using Agent.Core.Configuration;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Tests.Tools;

/// <summary>Section Tools is bound in AddAgentTools and validated; each failure names its key and variable.</summary>
public sealed class ToolsOptionsTests
{
    [Fact]
    public void Validate_BadValues_EveryFailureNamesItsKey()
    {
        using var tools = new ToolHarness(new Dictionary<string, string?>
        {
            ["Tools:MaxWriteSize"] = "0",
            ["Tools:HttpAllowedHosts"] = "https://example.com/",
            ["Tools:CommandAllowlist"] = "git,/bin/sh",
        });

        var error = Assert.Throws<OptionsValidationException>(() => tools.Services.GetRequiredService<IOptions<ToolsOptions>>().Value);

        Assert.Equal(
        [
            "MAX_WRITE_SIZE (Tools:MaxWriteSize) must be between 1 and 104857600 bytes.",
            "HTTP_ALLOWED_HOSTS (Tools:HttpAllowedHosts) contains 'https://example.com/', which is not a host name (use 'example.com' or '*.example.com', no scheme or port).",
            "COMMAND_ALLOWLIST (Tools:CommandAllowlist) contains '/bin/sh'; list bare executable names (e.g. 'git'), not paths or command lines.",
        ], error.Failures);
    }

    [Fact]
    public void AddAgentTools_Defaults_NothingAllowedForNetworkOrCommands()
    {
        using var tools = new ToolHarness();

        var options = tools.Services.GetRequiredService<IOptions<ToolsOptions>>().Value;

        Assert.Empty(options.HttpAllowedHostList);
        Assert.Empty(options.CommandAllowlistNames);
        Assert.Equal(1_048_576, options.MaxWriteSize);
    }

    [Fact]
    public void EnvironmentToKey_ToolSettings_MappedToToolsSection()
    {
        Assert.Equal("Tools:HttpAllowedHosts", ConfigurationKeys.EnvironmentToKey["HTTP_ALLOWED_HOSTS"]);
        Assert.Equal("Tools:CommandAllowlist", ConfigurationKeys.EnvironmentToKey["COMMAND_ALLOWLIST"]);
        Assert.Equal("Tools:MaxWriteSize", ConfigurationKeys.EnvironmentToKey["MAX_WRITE_SIZE"]);
    }

    [Fact]
    public void Registry_BuiltInTools_AllRegisteredInOrdinalOrder()
    {
        using var tools = new ToolHarness();

        var names = tools.Services.GetRequiredService<ToolRegistry>().All.Select(t => t.Name);

        Assert.Equal(["health_check", "http_get", "list_dir", "read_file", "run_command", "search_files", "write_file"], names);
    }
}
