using System.Diagnostics;
using System.Globalization;

namespace Agent.Bench.Infrastructure;

/// <summary>
/// Keeps a server and its load apart on a two-core machine (<c>taskset</c>): without it the load generator's CPU shows up
/// as the server's latency. Processes a pinned process starts later inherit its cores.
/// </summary>
public static class CorePinning
{
    public static bool Possible => Environment.ProcessorCount >= 2;

    /// <summary>Moves every thread of <paramref name="pid"/> to <paramref name="cores"/> (a taskset list such as <c>0</c> or <c>1-3</c>).</summary>
    public static async Task PinAsync(int pid, string cores)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cores, pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not start taskset.");
        await taskset.StandardOutput.ReadToEndAsync();
        await taskset.WaitForExitAsync();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset could not pin process {pid} to cores {cores}.");
        }
    }

    /// <summary>Every core but the first: where the load goes when the server has core 0.</summary>
    public static string AllButFirst => Environment.ProcessorCount == 2 ? "1" : $"1-{Environment.ProcessorCount - 1}";
}
