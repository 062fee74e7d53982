using System.Text.RegularExpressions;
using Agent.Core.Configuration;
using Agent.Core.Sandbox;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools;

/// <summary>Collects every invalid <see cref="ToolsOptions"/> value, each message naming its key.</summary>
public sealed partial class ToolsOptionsValidator : IValidateOptions<ToolsOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolsOptions options)
    {
        var failures = new OptionsFailures(ToolsOptions.SectionName);

        failures.Require(options.MaxReadSize is >= 1024 and <= 104_857_600, nameof(options.MaxReadSize), "must be between 1024 and 104857600 bytes.");
        failures.Require(options.MaxWriteSize is >= 1 and <= 104_857_600, nameof(options.MaxWriteSize), "must be between 1 and 104857600 bytes.");
        failures.Require(options.WorkspaceQuotaBytes is >= 1024 and <= 1_099_511_627_776, nameof(options.WorkspaceQuotaBytes), "must be between 1024 and 1099511627776 bytes.");
        failures.Require(options.WorkspaceQuotaFiles is >= 1 and <= 10_000_000, nameof(options.WorkspaceQuotaFiles), "must be between 1 and 10000000.");
        failures.Require(options.SearchMaxResults is >= 1 and <= 10_000, nameof(options.SearchMaxResults), "must be between 1 and 10000.");
        failures.Require(options.SearchMaxFiles is >= 1 and <= 1_000_000, nameof(options.SearchMaxFiles), "must be between 1 and 1000000.");
        failures.Require(options.SearchMaxFileSize is >= 1024 and <= 104_857_600, nameof(options.SearchMaxFileSize), "must be between 1024 and 104857600 bytes.");
        failures.Require(options.HttpTimeout is >= 1 and <= 600, nameof(options.HttpTimeout), "must be between 1 and 600 seconds.");
        failures.Require(options.HttpMaxResponseSize is >= 1024 and <= 104_857_600, nameof(options.HttpMaxResponseSize), "must be between 1024 and 104857600 bytes.");
        failures.Require(options.HttpMaxRedirects is >= 0 and <= 20, nameof(options.HttpMaxRedirects), "must be between 0 and 20.");
        failures.Require(options.CommandTimeout is >= 1 and <= 3600, nameof(options.CommandTimeout), "must be between 1 and 3600 seconds.");
        failures.Require(options.CommandMaxOutput is >= 100 and <= 10_000_000, nameof(options.CommandMaxOutput), "must be between 100 and 10000000 characters.");
        failures.Require(options.Sandbox is { } mode && (string.Equals(mode, SandboxModes.Bubblewrap, StringComparison.OrdinalIgnoreCase) || options.SandboxDisabled),
            nameof(options.Sandbox), $"must be '{SandboxModes.Bubblewrap}' or '{SandboxModes.None}'.");
        failures.Require(Path.IsPathRooted(options.SandboxBwrapPath), nameof(options.SandboxBwrapPath), "must be an absolute path to the bwrap executable.");
        failures.Require(options.SandboxCpuSeconds is >= 1 and <= 86_400, nameof(options.SandboxCpuSeconds), "must be between 1 and 86400 seconds.");
        failures.Require(options.SandboxAddressSpaceMb is >= 64 and <= 1_048_576, nameof(options.SandboxAddressSpaceMb), "must be between 64 and 1048576 MiB.");
        failures.Require(options.SandboxMaxProcesses is >= 4 and <= 65_536, nameof(options.SandboxMaxProcesses), "must be between 4 and 65536.");
        failures.Require(options.SandboxMaxFileSizeMb is >= 1 and <= 1_048_576, nameof(options.SandboxMaxFileSizeMb), "must be between 1 and 1048576 MiB.");
        failures.Require(options.SandboxMaxOpenFiles is >= 16 and <= 1_048_576, nameof(options.SandboxMaxOpenFiles), "must be between 16 and 1048576.");
        foreach (var (command, rule) in options.CommandArgs)
        {
            failures.Require(CommandName().IsMatch(command), $"{nameof(options.CommandArgs)}:{command}", "names no valid command; use a bare executable name (e.g. 'git').");
            failures.Require(options.DeniedArgumentPrefixes(command).Count > 0, $"{nameof(options.CommandArgs)}:{command}",
                $"is '{rule}'; list the argument prefixes to deny, comma-separated (e.g. '-c,--exec-path').");
        }

        foreach (var host in options.HttpAllowedHostList)
        {
            var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            failures.Require(Uri.CheckHostName(bare) != UriHostNameType.Unknown, nameof(options.HttpAllowedHosts),
                $"contains '{host}', which is not a host name (use 'example.com' or '*.example.com', no scheme or port).");
        }
        foreach (var command in options.CommandAllowlistNames)
        {
            failures.Require(CommandName().IsMatch(command), nameof(options.CommandAllowlist),
                $"contains '{command}'; list bare executable names (e.g. 'git'), not paths or command lines.");
        }
        foreach (var directory in options.CommandPathDirectories)
        {
            failures.Require(Path.IsPathRooted(directory), nameof(options.CommandPath), $"contains '{directory}', which is not an absolute directory.");
        }
        return failures.Result;
    }

    /// <summary>The same rule <c>run_command</c>'s schema applies to its <c>command</c> input.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    internal static partial Regex CommandName();
}
