using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Arguments of <c>write_file</c>.</summary>
public sealed record WriteFileInput
{
    [Description("File path relative to the workspace root"), StringLength(4096, MinimumLength = 1)]
    public required string Path { get; init; }

    [Description("Text to write (UTF-8)")]
    public required string Content { get; init; }

    [Description("Append to the file instead of replacing it (default false)")]
    public bool Append { get; init; }
}
