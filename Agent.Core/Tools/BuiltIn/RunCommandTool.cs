using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Sandbox;
using Agent.Core.Workspace;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>
/// Starts an executable named on <c>Tools:CommandAllowlist</c> with an argument list (no shell), refusing arguments
/// that <c>Tools:CommandArgs:&lt;command&gt;</c> denies, inside the bubblewrap sandbox (<see cref="CommandSandbox"/>):
/// the workspace is its working directory and the only writable place besides a private /tmp. Output is capped,
/// and the whole sandbox is killed when <c>Tools:CommandTimeout</c> or the executor's deadline passes. Needs the
/// <c>execute</c> permission, which is blocked by default.
/// </summary>
public sealed class RunCommandTool(WorkspaceRoot workspace, CommandSandbox sandbox, PermissionPolicy policy, IOptions<ToolsOptions> options) : AgentTool<RunCommandInput>
{
    private static readonly string[] SystemPrefixes = ["/usr/", "/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"];

    private readonly ToolsOptions _options = options.Value;

    public override string Name => "run_command";

    public override string Description => "Run an allowed program (no shell) in the workspace and return its exit code and output.";

    public override ToolPermission Permissions => ToolPermission.Execute;

    public override async Task<JsonNode?> ExecuteAsync(RunCommandInput input, CancellationToken cancellationToken)
    {
        var (command, args) = (input.Command, input.Args);
        if (!_options.CommandAllowlistNames.Contains(command, StringComparer.Ordinal))
        {
            throw new ToolBlockedException($"Command '{command}' is not on the allowlist (COMMAND_ALLOWLIST).");
        }
        foreach (var arg in args)
        {
            if (_options.DeniedArgumentPrefixes(command).FirstOrDefault(prefix => arg.StartsWith(prefix, StringComparison.Ordinal)) is { } denied)
            {
                throw new ToolBlockedException($"Argument '{arg}' is not allowed for '{command}' (Tools:CommandArgs:{command} denies '{denied}').");
            }
        }
        if (sandbox.Recheck() is { CanRun: false } status)
        {
            throw new ToolBlockedException($"run_command is unavailable: {status.Detail}");
        }
        var executable = Locate(command);
        var network = (policy.Blocked & ToolPermission.Network) == ToolPermission.None;

        using var started = sandbox.Start(executable, args, network);
        var process = started.Process;
        process.StandardInput.Close();
        var stdout = CaptureAsync(process.StandardOutput);
        var stderr = CaptureAsync(process.StandardError);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(_options.CommandTimeout));
        var killed = 0;
        // Registered on the token itself, so the sandbox dies even when the executor has already given up on this call.
        using var kill = limit.Token.Register(() =>
        {
            if (started.KillAll())
            {
                Interlocked.Exchange(ref killed, 1);
            }
        });
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await Task.WhenAll(stdout, stderr).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            if (started.KillAll())
            {
                Interlocked.Exchange(ref killed, 1);
            }
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            var what = _options.SandboxDisabled ? "its process tree was killed" : "its sandbox and every process in it were killed";
            throw new ToolTimeoutException($"Command '{command}' exceeded the {_options.CommandTimeout} s limit (COMMAND_TIMEOUT)" +
                (Volatile.Read(ref killed) == 1 ? $"; {what}." : "; it had already exited."));
        }

        var (outText, outTruncated) = await stdout;
        var (errText, errTruncated) = await stderr;
        return new JsonObject
        {
            ["command"] = command,
            ["args"] = new JsonArray(args.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["exit_code"] = process.ExitCode,
            ["stdout"] = outText,
            ["stderr"] = errText,
            ["stdout_truncated"] = outTruncated,
            ["stderr_truncated"] = errTruncated,
            ["sandbox"] = sandbox.Status.Mode,
        };
    }

    /// <summary>
    /// Finds the executable on the configured command path only, never in the workspace or the server's directory;
    /// with the sandbox on it must sit in a system directory, the only ones that exist inside.
    /// </summary>
    private string Locate(string command)
    {
        foreach (var directory in _options.CommandPathDirectories)
        {
            var candidate = Path.Combine(directory, command);
            if (File.Exists(candidate) && !workspace.IsInside(Path.GetFullPath(candidate)))
            {
                if (!_options.SandboxDisabled && !SystemPrefixes.Any(p => candidate.StartsWith(p, StringComparison.Ordinal)))
                {
                    throw new ToolBlockedException($"Command '{command}' lives in {directory}, outside the sandbox's system directories (/usr, /bin, /sbin, /lib*).");
                }
                return candidate;
            }
        }
        throw new ToolException($"Command '{command}' was not found on the command path ({_options.CommandPath}).");
    }

    /// <summary>Keeps the first <c>CommandMaxOutput</c> characters and drains the rest, so a chatty child never blocks on a full pipe.</summary>
    private async Task<(string Text, bool Truncated)> CaptureAsync(StreamReader reader)
    {
        var kept = new StringBuilder();
        var truncated = false;
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            var room = _options.CommandMaxOutput - kept.Length;
            if (read > room)
            {
                truncated = true;
            }
            kept.Append(buffer, 0, Math.Min(room, read));
        }
        return (kept.ToString(), truncated);
    }
}
