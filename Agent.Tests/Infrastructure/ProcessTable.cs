using System.Globalization;

namespace Agent.Tests.Infrastructure;

/// <summary>The host's process table as /proc shows it: which live (non-zombie) processes run a given command line.</summary>
public static class ProcessTable
{
    /// <summary>Pids of running processes whose arguments are exactly <paramref name="arguments"/> (the program by file name, any directory).</summary>
    public static IReadOnlyList<int> Running(params string[] arguments)
    {
        var wanted = string.Concat(arguments[1..].Select(a => a + '\0'));
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline"));
                var program = cmdline.IndexOf('\0', StringComparison.Ordinal);
                if (program > 0 && Path.GetFileName(cmdline[..program]) == arguments[0] && cmdline[(program + 1)..] == wanted
                    && !File.ReadAllText(Path.Combine(directory, "stat")).Split(") ")[^1].StartsWith('Z'))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
