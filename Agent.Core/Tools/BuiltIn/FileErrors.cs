using Agent.Core.Workspace;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>One wording for the file-system refusals the file tools share.</summary>
internal static class FileErrors
{
    public static ToolException NotFound(string requested) => new($"File '{requested}' does not exist.");

    public static ToolException NotRegular(string requested, FileKind kind) => kind == FileKind.Directory
        ? new($"'{requested}' is a directory.")
        : new($"'{requested}' is not a regular file ({kind.ToWire()}); only regular files can be read or written.");
}
