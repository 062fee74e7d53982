using System.Globalization;

namespace Agent.Bench.Infrastructure;

/// <summary>Resident memory of a process from /proc/&lt;pid&gt;/status: current (VmRSS) and peak (VmHWM), in MiB.</summary>
public sealed record MemorySample(double RssMiB, double PeakMiB)
{
    public static MemorySample Read(int pid)
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KibToMib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KibToMib(line);
            }
        }
        return new MemorySample(rss, peak);
    }

    private static double KibToMib(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}

public static class ServerMemory
{
    /// <summary>The server process's resident memory now.</summary>
    public static MemorySample Memory(this AgentProcess server) => MemorySample.Read(server.Id);
}
