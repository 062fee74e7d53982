using Agent.Core.Tools;
using Microsoft.Extensions.Options;

namespace Agent.Core.Configuration;

/// <summary>Collects every invalid <see cref="AgentOptions"/> value, each message naming its key.</summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new OptionsFailures(AgentOptions.SectionName);

        failures.Require(!string.IsNullOrWhiteSpace(options.Host), nameof(options.Host), "must not be empty.");
        failures.Require(options.Port is >= 1 and <= 65535, nameof(options.Port), "must be between 1 and 65535.");
        failures.Require(!string.IsNullOrWhiteSpace(options.WorkspaceRoot), nameof(options.WorkspaceRoot), "must not be empty.");
        failures.Require(!string.IsNullOrWhiteSpace(options.DatabasePath), nameof(options.DatabasePath), "must not be empty.");
        failures.Require(options.MaxToolTimeout is >= 1 and <= 3600, nameof(options.MaxToolTimeout), "must be between 1 and 3600 seconds.");
        failures.Require(options.MaxOutputSize is >= 100 and <= 10_000_000, nameof(options.MaxOutputSize), "must be between 100 and 10000000 characters.");
        failures.Require(options.RateLimitRequests is >= 1 and <= 1_000_000, nameof(options.RateLimitRequests), "must be between 1 and 1000000.");
        failures.Require(options.MaxRequestSize is >= 1024 and <= 104_857_600, nameof(options.MaxRequestSize), "must be between 1024 and 104857600 bytes.");
        failures.Require(options.MaxSteps is >= 1 and <= 100, nameof(options.MaxSteps), "must be between 1 and 100.");
        failures.Require(options.RunTimeout is >= 1 and <= 86_400, nameof(options.RunTimeout), "must be between 1 and 86400 seconds.");

        foreach (var permission in options.BlockedPermissionList)
        {
            failures.Require(ToolPermissions.TryParse(permission, out _), nameof(options.BlockedPermissions),
                $"contains '{permission}'; allowed values are read, write, execute, network.");
        }
        foreach (var origin in options.CorsOriginList)
        {
            failures.Require(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                nameof(options.CorsOrigins), $"contains '{origin}', which is not an http(s) origin.");
        }
        foreach (var (keyName, keyValue) in options.ApiKeys)
        {
            failures.Require(keyValue.Length >= 16, $"ApiKeys:{keyName}", "must be at least 16 characters long.");
        }
        foreach (var (keyName, role) in options.KeyRoles)
        {
            failures.Require(KeyRoleNames.IsValid(role), $"KeyRoles:{keyName}", $"is '{role}'; allowed roles are {string.Join(", ", KeyRoleNames.All)}.");
            failures.Require(options.ApiKeys.ContainsKey(keyName), $"KeyRoles:{keyName}", $"names no key: set Agent:ApiKeys:{keyName} too.");
        }

        return failures.Result;
    }
}
