using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Arguments of <c>run_command</c>: an allowlisted executable and its argument list (no shell).</summary>
public sealed record RunCommandInput
{
    [Description("Executable name from the allowlist, e.g. 'git' (no path, no shell syntax)")]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._+-]*$"), MaxLength(128)]
    public required string Command { get; init; }

    [Description("Arguments, passed as-is without shell interpretation"), MaxLength(64), ItemMaxLength(4096)]
    public IReadOnlyList<string> Args { get; init; } = [];
}
