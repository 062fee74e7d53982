using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>Section <c>Console</c>: who may sign in to the operator console, and how long a session lives.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>Operator keys by name. When empty, the admin API keys sign in.</summary>
    public Dictionary<string, string> OperatorKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Hours a console sign-in lasts without activity.</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>Seconds between re-checks of an open console circuit against the current keys (a removed key ends it).</summary>
    public int RevalidateSeconds { get; set; } = 30;
}

/// <summary>Collects every invalid <see cref="ConsoleOptions"/> value, each message naming its key.</summary>
public sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions options)
    {
        var failures = new OptionsFailures(ConsoleOptions.SectionName);
        foreach (var (keyName, keyValue) in options.OperatorKeys)
        {
            failures.Require(keyValue.Length >= 16, $"OperatorKeys:{keyName}", "must be at least 16 characters long.");
        }
        failures.Require(options.SessionHours is >= 1 and <= 24 * 30, nameof(options.SessionHours), "must be between 1 and 720 hours.");
        failures.Require(options.RevalidateSeconds is >= 1 and <= 60, nameof(options.RevalidateSeconds), "must be between 1 and 60 seconds.");
        return failures.Result;
    }
}
