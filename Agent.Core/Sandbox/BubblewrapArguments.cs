using System.Globalization;
using Agent.Core.Tools;

namespace Agent.Core.Sandbox;

/// <summary>
/// The bwrap command line for one command: new namespaces (network only when allowed), read-only system
/// directories, a generated /etc, a fresh /proc and /dev, a private /tmp, the workspace read-write at
/// <see cref="WorkspaceMount"/>, and <c>prlimit</c> setting the resource limits before the program starts.
/// </summary>
internal static class BubblewrapArguments
{
    public const string WorkspaceMount = "/workspace";

    /// <summary>util-linux's prlimit sets the limits on itself and then execs the program: no shell, no parsing.</summary>
    public const string Prlimit = "/usr/bin/prlimit";

    /// <summary>Top-level system directories: bound read-only when real directories, recreated when symlinks (merged /usr).</summary>
    private static readonly string[] SystemDirectories = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>Host files a program may need that reveal nothing of the server.</summary>
    private static readonly string[] SharedEtc = ["/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives"];

    /// <summary>Added only when the command may use the network.</summary>
    private static readonly string[] NetworkEtc = ["/etc/resolv.conf", "/etc/ssl", "/etc/ca-certificates", "/etc/gai.conf"];

    public static List<string> Build(ToolsOptions options, string workspace, string etcDirectory, bool network, string executable, IEnumerable<string> arguments)
    {
        var line = new List<string> { "--unshare-all", "--unshare-user" };
        if (network)
        {
            line.Add("--share-net");
        }
        line.AddRange(["--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox"]);

        line.AddRange(["--ro-bind", "/usr", "/usr"]);
        foreach (var directory in SystemDirectories)
        {
            var info = new DirectoryInfo(directory);
            if (info.LinkTarget is { } target)
            {
                line.AddRange(["--symlink", target, directory]);
            }
            else if (info.Exists)
            {
                line.AddRange(["--ro-bind", directory, directory]);
            }
        }

        line.AddRange(["--dir", "/etc"]);
        foreach (var file in SandboxEtc.GeneratedFiles)
        {
            line.AddRange(["--ro-bind", Path.Combine(etcDirectory, file), "/etc/" + file]);
        }
        foreach (var path in network ? [.. SharedEtc, .. NetworkEtc] : SharedEtc)
        {
            line.AddRange(["--ro-bind-try", path, path]);
        }

        line.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        line.AddRange(["--bind", workspace, WorkspaceMount, "--chdir", WorkspaceMount]);
        // Everything outside /tmp and the workspace is read-only, the generated root included.
        line.AddRange(["--remount-ro", "/"]);

        line.AddRange(["--clearenv", "--setenv", "PATH", options.CommandPath, "--setenv", "HOME", "/tmp",
            "--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8"]);

        line.Add("--");
        line.AddRange(Limits(options));
        line.Add("--");
        line.Add(executable);
        line.AddRange(arguments);
        return line;
    }

    /// <summary>prlimit and its options: CPU seconds, address space, processes, file size, open files.</summary>
    public static IEnumerable<string> Limits(ToolsOptions options) =>
    [
        Prlimit,
        // SIGXCPU at the soft limit (the program may say so), SIGKILL one second later.
        Invariant($"--cpu={options.SandboxCpuSeconds}:{options.SandboxCpuSeconds + 1}"),
        Invariant($"--as={(long)options.SandboxAddressSpaceMb * 1024 * 1024}"),
        Invariant($"--nproc={options.SandboxMaxProcesses}"),
        Invariant($"--fsize={(long)options.SandboxMaxFileSizeMb * 1024 * 1024}"),
        Invariant($"--nofile={options.SandboxMaxOpenFiles}"),
    ];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
