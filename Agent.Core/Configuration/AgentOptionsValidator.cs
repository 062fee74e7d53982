using Agent.Core.Tools;
using Microsoft.Extensions.Options;

namespace Agent.Core.Configuration;

/// <summary>Collects every invalid <see cref="AgentOptions"/> value, each message naming its key.</summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new OptionsFailures(AgentOptions.SectionName);

        failures.Require(!string.IsNullOrWhiteSpace(options.WorkspaceRoot), nameof(options.WorkspaceRoot), "must not be empty.");
        failures.Require(!string.IsNullOrWhiteSpace(options.DatabasePath), nameof(options.DatabasePath), "must not be empty.");
        failures.Require(options.MaxToolTimeout is >= 1 and <= 3600, nameof(options.MaxToolTimeout), "must be between 1 and 3600 seconds.");
        failures.Require(options.MaxOutputSize is >= 100 and <= 10_000_000, nameof(options.MaxOutputSize), "must be between 100 and 10000000 characters.");
        failures.Require(options.MaxSteps is >= 1 and <= 100, nameof(options.MaxSteps), "must be between 1 and 100.");
        failures.Require(options.RunTimeout is >= 1 and <= 86_400, nameof(options.RunTimeout), "must be between 1 and 86400 seconds.");

        foreach (var permission in options.BlockedPermissionList)
        {
            failures.Require(ToolPermissions.TryParse(permission, out _), nameof(options.BlockedPermissions),
                $"contains '{permission}'; allowed values are read, write, execute, network.");
        }
        return failures.Result;
    }
}
