using System.Diagnostics;
using System.Globalization;

namespace Agent.Core.Sandbox;

/// <summary>
/// A per-command pids cgroup, used when the server runs as root: the kernel never applies RLIMIT_NPROC to root, so
/// the process limit comes from <c>pids.max</c> instead. It is also a second way to kill every process of the
/// sandbox. cgroup v1 (<c>/sys/fs/cgroup/pids</c>) or v2 (with the pids controller enabled for the server's group).
/// </summary>
internal sealed class PidsCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";

    private PidsCgroup(string path) => Path = path;

    public string Path { get; }

    /// <summary>The file a process writes its pid to in order to join.</summary>
    public string ProcsFile => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>Creates a child group limited to <paramref name="maxProcesses"/> tasks, or returns null with the reason.</summary>
    public static PidsCgroup? TryCreate(int maxProcesses, out string? reason)
    {
        var parent = ParentDirectory();
        if (parent is null)
        {
            reason = "no pids cgroup controller was found for the server's process";
            return null;
        }
        var path = System.IO.Path.Combine(parent, $"agent-sandbox-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(path);
            var max = System.IO.Path.Combine(path, "pids.max");
            if (!File.Exists(max))
            {
                Directory.Delete(path);
                reason = $"the pids controller is not enabled in {parent}";
                return null;
            }
            File.WriteAllText(max, maxProcesses.ToString(CultureInfo.InvariantCulture));
            reason = null;
            return new PidsCgroup(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot create a pids cgroup under {parent} ({ex.Message})";
            return null;
        }
    }

    /// <summary>SIGKILLs every process still in the group; true when there was at least one.</summary>
    public bool KillAll()
    {
        var killed = false;
        var kill = System.IO.Path.Combine(Path, "cgroup.kill");
        try
        {
            if (File.Exists(kill))
            {
                killed = Members().Any();
                File.WriteAllText(kill, "1");
                return killed;
            }
            foreach (var pid in Members())
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    killed = true;
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited meanwhile.
                }
            }
        }
        catch (IOException)
        {
            // The group is gone already.
        }
        return killed;
    }

    public void Dispose()
    {
        // A group can be removed only once its last process has been reaped; give the kernel a moment.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                KillAll();
                Thread.Sleep(20);
            }
        }
    }

    private IEnumerable<int> Members() =>
        File.ReadAllLines(ProcsFile).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();

    private static string? ParentDirectory()
    {
        string? v2 = null;
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }
            if (parts[1].Split(',').Contains("pids") && Directory.Exists(System.IO.Path.Combine(Root, "pids")))
            {
                return System.IO.Path.Combine(Root, "pids") + parts[2];
            }
            if (parts[0] == "0" && parts[1].Length == 0 && File.Exists(System.IO.Path.Combine(Root, "cgroup.controllers")))
            {
                v2 = Root + parts[2];
            }
        }
        return v2;
    }
}
