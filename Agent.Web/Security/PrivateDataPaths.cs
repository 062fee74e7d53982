using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// Where the server keeps its private state: the data directory is the audit database's directory, and it holds the
/// data-protection keys (which seal console cookies) and the console sessions. Everything here is created owner-only
/// (directories 0700, files 0600). A workspace check can read <see cref="DataDirectory"/> to keep tools away from it.
/// </summary>
public sealed class PrivateDataPaths(IOptions<AgentOptions> options)
{
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string DataDirectory => Path.GetDirectoryName(Path.GetFullPath(options.Value.DatabasePath))!;

    public string DataProtectionKeys => Path.Combine(DataDirectory, "keys");

    public string ConsoleSessions => Path.Combine(DataDirectory, "console-sessions.json");

    /// <summary>Creates <paramref name="directory"/> owner-only if missing.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, PrivateDirectory);
            }
        }
    }

    /// <summary>Writes <paramref name="path"/> atomically (temporary file + rename), created with mode 0600.</summary>
    public static void WritePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        EnsureDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var stream = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            stream.UnixCreateMode = PrivateFile;
        }
        using (var file = new FileStream(temporary, stream))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
