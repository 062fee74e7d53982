using System.Globalization;

namespace Agent.Bench.Infrastructure;

/// <summary>
/// CPU time a process has used, user plus system, from /proc/&lt;pid&gt;/stat. Divided by the runs completed in the same
/// window it gives the server's CPU per run, a figure that stays meaningful when other processes load the machine.
/// </summary>
public static class ProcessCpu
{
    private static readonly double TicksPerSecond = ClockTicks();

    public static TimeSpan Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of the line, i.e. 12 and 13 after the state field.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The machine's load average over 1, 5 and 15 minutes, as /proc/loadavg says.</summary>
    public static string LoadAverage() =>
        string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>CPU per completed run in milliseconds over a window, or NaN when nothing completed.</summary>
    public static double MsPerRun(TimeSpan before, TimeSpan after, long runs) =>
        runs > 0 ? (after - before).TotalMilliseconds / runs : double.NaN;

    private static double ClockTicks()
    {
        // USER_HZ is 100 on every Linux architecture .NET runs on; getconf confirms it when present.
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", ["CLK_TCK"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            if (getconf is not null && double.TryParse(getconf.StandardOutput.ReadToEnd().Trim(), CultureInfo.InvariantCulture, out var hz) && hz > 0)
            {
                getconf.WaitForExit();
                return hz;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No getconf: fall back to the Linux constant.
        }
        return 100;
    }
}
