using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Arguments of <c>search_files</c>: a name glob, a text, or both.</summary>
[RequireAnyOf("pattern", "query")]
public sealed record SearchFilesInput
{
    [Description("File name glob, e.g. '*.md' (* and ? wildcards, case-insensitive)"), StringLength(256, MinimumLength = 1)]
    public string? Pattern { get; init; }

    [Description("Text to find in file contents (case-insensitive)"), StringLength(1000, MinimumLength = 1)]
    public string? Query { get; init; }

    [Description("Directory to search, relative to the workspace root (default '.')"), MaxLength(4096)]
    public string Path { get; init; } = ".";
}
