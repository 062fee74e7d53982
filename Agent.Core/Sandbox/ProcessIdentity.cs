using System.Globalization;

namespace Agent.Core.Sandbox;

/// <summary>The server's real user and group ids, read from <c>/proc/self/status</c> (.NET has no managed getuid).</summary>
internal static class ProcessIdentity
{
    public static (int Uid, int Gid) Current()
    {
        int uid = -1, gid = -1;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                uid = FirstNumber(line);
            }
            else if (line.StartsWith("Gid:", StringComparison.Ordinal))
            {
                gid = FirstNumber(line);
            }
        }
        return (uid, gid);
    }

    public static bool IsRoot => Current().Uid == 0;

    private static int FirstNumber(string line) =>
        int.Parse(line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
