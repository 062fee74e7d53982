using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>The API keys and their roles, from section <c>Agent</c> (<c>AGENT_API_KEY</c> becomes the key named <c>default</c>).</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = AgentOptions.SectionName;

    /// <summary>API keys by name; the audit records the name, never the value.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Role of each API key by name: <c>runner</c> (the default), <c>auditor</c>, <c>admin</c> or <c>operator</c>. A key
    /// without an entry is a runner, except when it is the only key (e.g. <c>AGENT_API_KEY</c> alone): then it is an admin.
    /// </summary>
    public Dictionary<string, string> KeyRoles { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Collects every invalid key or role, each message naming its key; also checks keys reloaded while running.</summary>
public sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new OptionsFailures(ApiKeyOptions.SectionName);
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
