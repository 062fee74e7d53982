using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Arguments of <c>list_dir</c>.</summary>
public sealed record ListDirInput
{
    [Description("Directory relative to the workspace root (default '.')"), MaxLength(4096)]
    public string Path { get; init; } = ".";
}
