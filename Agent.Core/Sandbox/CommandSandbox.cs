using System.Diagnostics;
using System.Text;
using Agent.Core.Tools;
using Agent.Core.Workspace;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Core.Sandbox;

/// <summary>
/// Starts <c>run_command</c>'s programs inside bubblewrap (or unconfined when <c>Tools:Sandbox=none</c>). Whether
/// bubblewrap can start here is probed once by running <c>true</c> in a full sandbox; while it cannot, every
/// command is refused, and each refusal probes again so that installing bubblewrap needs no restart.
/// </summary>
public sealed partial class CommandSandbox(WorkspaceRoot workspace, IOptions<ToolsOptions> options, ILogger<CommandSandbox> logger) : IDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly ToolsOptions _options = options.Value;
    private readonly SandboxEtc _etc = new();
    private readonly Lock _gate = new();
    private SandboxStatus? _status;

    /// <summary>The current mode, probing on first use.</summary>
    public SandboxStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status ??= Probe();
            }
        }
    }

    /// <summary>The status, probed again when the sandbox could not start last time.</summary>
    public SandboxStatus Recheck()
    {
        lock (_gate)
        {
            if (_status is { CanRun: true })
            {
                return _status;
            }
            var previous = _status;
            _status = Probe();
            if (previous is not null && _status.CanRun)
            {
                LogMode(logger, _status.Mode, _status.Detail);
            }
            return _status;
        }
    }

    /// <summary>Logs the mode once, at start-up.</summary>
    public void LogStartupMode()
    {
        var status = Status;
        if (status.Mode == SandboxModes.Bubblewrap)
        {
            LogMode(logger, status.Mode, status.Detail);
        }
        else
        {
            LogModeWarning(logger, status.Mode, status.Detail);
        }
    }

    /// <summary>Starts <paramref name="executable"/> (a host path under /usr or a bound system directory) with redirected streams.</summary>
    public SandboxedProcess Start(string executable, IReadOnlyList<string> arguments, bool network)
    {
        if (_options.SandboxDisabled)
        {
            return new SandboxedProcess(Process.Start(Unconfined(executable, arguments)) ?? throw new ToolException("The command could not be started."), null);
        }

        PidsCgroup? cgroup = null;
        if (ProcessIdentity.IsRoot)
        {
            cgroup = PidsCgroup.TryCreate(_options.SandboxMaxProcesses + 2, out var reason)
                ?? throw new ToolBlockedException($"Sandbox unavailable: {RootWithoutCgroup(reason)}");
        }
        var start = Redirected(cgroup is null ? _options.SandboxBwrapPath : "/bin/sh");
        if (cgroup is not null)
        {
            // A host shell joins the pids cgroup and then becomes bwrap, so nothing in the sandbox ever runs outside it;
            // env -i drops the PWD the shell exports, leaving bwrap (the sandbox's PID 1) an empty environment.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("echo $$ > \"$0\" && exec /usr/bin/env -i \"$@\"");
            start.ArgumentList.Add(cgroup.ProcsFile);
            start.ArgumentList.Add(_options.SandboxBwrapPath);
        }
        foreach (var argument in BubblewrapArguments.Build(_options, workspace.FullPath, _etc.Directory, network, executable, arguments))
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            return new SandboxedProcess(Process.Start(start) ?? throw new ToolException("bwrap could not be started."), cgroup);
        }
        catch
        {
            cgroup?.Dispose();
            throw;
        }
    }

    private SandboxStatus Probe()
    {
        if (_options.SandboxDisabled)
        {
            return SandboxStatus.Disabled();
        }
        if (!File.Exists(_options.SandboxBwrapPath))
        {
            return SandboxStatus.Failed($"bubblewrap was not found at {_options.SandboxBwrapPath} (SANDBOX_BWRAP_PATH); install the Debian package 'bubblewrap'.");
        }
        if (!File.Exists(BubblewrapArguments.Prlimit))
        {
            return SandboxStatus.Failed($"{BubblewrapArguments.Prlimit} (util-linux) was not found; it sets the sandbox's resource limits.");
        }
        var root = ProcessIdentity.IsRoot;
        if (root)
        {
            using var cgroup = PidsCgroup.TryCreate(_options.SandboxMaxProcesses, out var reason);
            if (cgroup is null)
            {
                return SandboxStatus.Failed(RootWithoutCgroup(reason));
            }
        }
        try
        {
            using var probe = Start("/usr/bin/true", [], network: false);
            probe.Process.StandardInput.Close();
            var stderr = probe.Process.StandardError.ReadToEndAsync();
            if (!probe.Process.WaitForExit(ProbeTimeout))
            {
                probe.KillAll();
                return SandboxStatus.Failed($"bubblewrap at {_options.SandboxBwrapPath} did not finish a test run within {ProbeTimeout.TotalSeconds:0} s.");
            }
            if (probe.Process.ExitCode != 0)
            {
                var said = stderr.Wait(ProbeTimeout) ? stderr.Result.Trim() : "";
                return SandboxStatus.Failed(
                    $"bubblewrap at {_options.SandboxBwrapPath} cannot create the sandbox (exit code {probe.Process.ExitCode}: {said}); " +
                    "unprivileged user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone / user.max_user_namespaces).");
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or ToolException)
        {
            return SandboxStatus.Failed($"bubblewrap at {_options.SandboxBwrapPath} could not be started: {ex.Message}");
        }
        return SandboxStatus.Ready(
            $"bubblewrap at {_options.SandboxBwrapPath}: own user, PID, IPC, UTS, cgroup and network namespaces (network only when " +
            $"'network' is allowed), read-only system, workspace at {BubblewrapArguments.WorkspaceMount}; limits {_options.SandboxCpuSeconds} CPU s, " +
            $"{_options.SandboxAddressSpaceMb} MiB address space, {_options.SandboxMaxProcesses} processes{(root ? " (pids cgroup: the server runs as root)" : "")}, " +
            $"{_options.SandboxMaxFileSizeMb} MiB per file, {_options.SandboxMaxOpenFiles} open files.");
    }

    private static string RootWithoutCgroup(string? reason) =>
        $"the server runs as root, where the kernel ignores the process limit (RLIMIT_NPROC), and {reason}; " +
        "run the server as an unprivileged user.";

    private ProcessStartInfo Unconfined(string executable, IReadOnlyList<string> arguments)
    {
        var start = Redirected(executable);
        start.WorkingDirectory = workspace.FullPath;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PATH"] = _options.CommandPath;
        start.Environment["HOME"] = workspace.FullPath;
        start.Environment["LANG"] = "C.UTF-8";
        return start;
    }

    /// <summary>Redirected streams and an empty environment: the server's variables (keys included) never reach the child.</summary>
    private static ProcessStartInfo Redirected(string fileName)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            WorkingDirectory = "/",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment.Clear();
        return start;
    }

    public void Dispose() => _etc.Dispose();

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Command sandbox: {Mode}. {Detail}")]
    private static partial void LogMode(ILogger logger, string mode, string detail);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Command sandbox: {Mode}. {Detail}")]
    private static partial void LogModeWarning(ILogger logger, string mode, string detail);
}
