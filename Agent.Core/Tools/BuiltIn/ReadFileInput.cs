using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Arguments of <c>read_file</c>.</summary>
public sealed record ReadFileInput
{
    [Description("File path relative to the workspace root"), StringLength(4096, MinimumLength = 1)]
    public required string Path { get; init; }

    [Description("Maximum lines to read (1-1000, default 1000)"), Range(1, ReadFileTool.DefaultMaxLines)]
    public int MaxLines { get; init; } = ReadFileTool.DefaultMaxLines;
}
