using Agent.Core.Sandbox;

namespace Agent.Core.Tools;

/// <summary>Section <c>Tools</c>: limits and allowlists of the individual built-in tools.</summary>
public sealed class ToolsOptions
{
    public const string SectionName = "Tools";

    /// <summary>Bytes <c>read_file</c> reads at most from one file.</summary>
    public long MaxReadSize { get; set; } = 1_048_576;

    /// <summary>Bytes one <c>write_file</c> call may leave in a file (appends included).</summary>
    public long MaxWriteSize { get; set; } = 1_048_576;

    /// <summary>
    /// Whether the file tools may read or write a regular file that has more than one name (hard link). Off: the
    /// other name may be outside the workspace, so reading or appending would reach a file the agent was never given.
    /// </summary>
    public bool AllowHardLinks { get; set; }

    /// <summary>Bytes all regular files in the workspace may take together; <c>write_file</c> refuses a write that would exceed it.</summary>
    public long WorkspaceQuotaBytes { get; set; } = 104_857_600;

    /// <summary>Entries (files, directories, links) the workspace may hold; <c>write_file</c> refuses to create more.</summary>
    public int WorkspaceQuotaFiles { get; set; } = 10_000;

    /// <summary>Matches (or files) <c>search_files</c> returns at most.</summary>
    public int SearchMaxResults { get; set; } = 100;

    /// <summary>Files <c>search_files</c> looks at before it stops and reports <c>truncated</c>.</summary>
    public int SearchMaxFiles { get; set; } = 5000;

    /// <summary>Bytes of each file <c>search_files</c> scans for the query.</summary>
    public long SearchMaxFileSize { get; set; } = 1_048_576;

    /// <summary>Comma-separated hosts <c>http_get</c> may reach; <c>*.example.com</c> allows subdomains. Empty: none.</summary>
    public string HttpAllowedHosts { get; set; } = "";

    /// <summary>Seconds one <c>http_get</c> may take, redirects included.</summary>
    public int HttpTimeout { get; set; } = 10;

    /// <summary>Bytes of a response body <c>http_get</c> reads at most.</summary>
    public long HttpMaxResponseSize { get; set; } = 262_144;

    /// <summary>Redirects <c>http_get</c> follows, each checked against the allowlist.</summary>
    public int HttpMaxRedirects { get; set; } = 5;

    /// <summary>Lets <c>http_get</c> connect to loopback, private and link-local addresses (off: public addresses only).</summary>
    public bool HttpAllowPrivateNetworks { get; set; }

    /// <summary>Comma-separated executable names <c>run_command</c> may start. Empty: none.</summary>
    public string CommandAllowlist { get; set; } = "";

    /// <summary>Colon-separated directories searched for allowed executables; also the child's PATH.</summary>
    public string CommandPath { get; set; } = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>Seconds one command may run before its process tree is killed.</summary>
    public int CommandTimeout { get; set; } = 10;

    /// <summary>Characters of stdout and of stderr kept per command.</summary>
    public int CommandMaxOutput { get; set; } = 65_536;

    /// <summary><c>bubblewrap</c> (default): every command runs in a bubblewrap sandbox. <c>none</c>: unconfined (unsafe).</summary>
    public string Sandbox { get; set; } = SandboxModes.Bubblewrap;

    /// <summary>The bubblewrap executable.</summary>
    public string SandboxBwrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>CPU seconds one sandboxed command may use (RLIMIT_CPU).</summary>
    public int SandboxCpuSeconds { get; set; } = 30;

    /// <summary>Virtual address space of each sandboxed process, in MiB (RLIMIT_AS).</summary>
    public int SandboxAddressSpaceMb { get; set; } = 2048;

    /// <summary>Processes (threads included) the sandbox may hold at once (RLIMIT_NPROC, or a pids cgroup when the server is root).</summary>
    public int SandboxMaxProcesses { get; set; } = 128;

    /// <summary>Largest file a sandboxed command may write, in MiB (RLIMIT_FSIZE).</summary>
    public int SandboxMaxFileSizeMb { get; set; } = 64;

    /// <summary>Open file descriptors per sandboxed process (RLIMIT_NOFILE).</summary>
    public int SandboxMaxOpenFiles { get; set; } = 256;

    /// <summary>
    /// Per-command argument rules, <c>Tools:CommandArgs:&lt;command&gt;</c> = comma-separated prefixes an argument may not
    /// start with (for example <c>-c,--config-env,--exec-path</c> for git).
    /// </summary>
    public Dictionary<string, string> CommandArgs { get; set; } = new(StringComparer.Ordinal);

    public bool SandboxDisabled => string.Equals(Sandbox, SandboxModes.None, StringComparison.OrdinalIgnoreCase);

    /// <summary>The argument prefixes denied for <paramref name="command"/>; empty when it has no rule.</summary>
    public IReadOnlyList<string> DeniedArgumentPrefixes(string command) =>
        CommandArgs.TryGetValue(command, out var rule) ? Split(rule, ',') : [];

    public IReadOnlyList<string> HttpAllowedHostList => Split(HttpAllowedHosts, ',');

    public IReadOnlyList<string> CommandAllowlistNames => Split(CommandAllowlist, ',');

    public IReadOnlyList<string> CommandPathDirectories => Split(CommandPath, ':');

    private static string[] Split(string? value, char separator) =>
        (value ?? "").Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
