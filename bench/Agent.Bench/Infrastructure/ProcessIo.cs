using System.Globalization;

namespace Agent.Bench.Infrastructure;

/// <summary>
/// Bytes a process caused to be written to storage (<c>write_bytes</c> in /proc/&lt;pid&gt;/io, counted when a page of the
/// page cache is dirtied): the WAL frames and checkpoints of its SQLite commits, not its socket traffic. Divided by the
/// runs of a window it gives the disk write volume per run, which, like CPU per run, does not depend on other load.
/// </summary>
public static class ProcessIo
{
    public static long WriteBytes(int pid) => Read($"/proc/{pid}/io");

    public static long WriteBytesOfThisProcess() => Read("/proc/self/io");

    /// <summary>KiB written per completed run over a window, or NaN when nothing completed.</summary>
    public static double KiBPerRun(long before, long after, long runs) =>
        runs > 0 ? (after - before) / 1024.0 / runs : double.NaN;

    private static long Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
            {
                return long.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"{path} has no write_bytes line.");
    }
}
