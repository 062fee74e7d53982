using System.Diagnostics;

namespace Agent.Core.Sandbox;

/// <summary>A started command: the process to read from and wait for, and the way to kill everything it started.</summary>
public sealed class SandboxedProcess : IDisposable
{
    private readonly PidsCgroup? _cgroup;

    internal SandboxedProcess(Process process, PidsCgroup? cgroup)
    {
        Process = process;
        _cgroup = cgroup;
    }

    public Process Process { get; }

    /// <summary>
    /// SIGKILLs the sandbox: bwrap and its descendants (its PID 1 dies with it through --die-with-parent, which
    /// takes down the whole PID namespace, daemonised processes included) and anything left in the pids cgroup.
    /// True only when something was still running and was killed.
    /// </summary>
    public bool KillAll()
    {
        var killed = false;
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                killed = true;
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        return (_cgroup?.KillAll() ?? false) || killed;
    }

    public void Dispose()
    {
        _cgroup?.Dispose();
        Process.Dispose();
    }
}
