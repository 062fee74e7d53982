using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Agent.Testing;

/// <summary>
/// A built server (Agent.Web.dll, or any ASP.NET app) as a child process, as an operator runs it: its own working
/// directory, environment and port. Output is kept in memory, or appended to a log file when the run is long.
/// On dispose the process is killed, or stopped with SIGTERM first when it was started with a graceful stop.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly ProcessOutput _output;
    private readonly bool _gracefulStop;

    private AgentProcess(Process process, ProcessOutput output, bool gracefulStop)
    {
        _process = process;
        _output = output;
        _gracefulStop = gracefulStop;
        process.OutputDataReceived += (_, e) => output.Stdout(e.Data);
        process.ErrorDataReceived += (_, e) => output.Stderr(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Agent.Web.dll beside the running assembly (the test project copies it into its output).</summary>
    public static string ServerAssembly { get; } = Path.Combine(AppContext.BaseDirectory, "Agent.Web.dll");

    public string Stdout => _output.StdoutText;

    public string Stderr => _output.StderrText;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The port it listens on, when started by <see cref="StartHealthyAsync"/>.</summary>
    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Time from process start to the first 200 from /health, when started by <see cref="StartHealthyAsync"/>.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// Starts the server with exactly the given environment on top of a scrubbed copy of this one. Unless the test
    /// sets XDG_DATA_HOME, the default data directory is <c>.xdg-data</c> in the working directory, never the real home.
    /// </summary>
    public static AgentProcess Start(string workingDirectory, IDictionary<string, string> environment, params string[] arguments) =>
        StartAssembly(ServerAssembly, workingDirectory, environment, arguments);

    /// <summary>As <see cref="Start"/>, for a server built elsewhere (e.g. from a copy of the sources).</summary>
    public static AgentProcess StartAssembly(string assembly, string workingDirectory, IDictionary<string, string> environment, params string[] arguments) =>
        StartVia([], assembly, workingDirectory, environment, arguments);

    /// <summary>As <see cref="StartAssembly"/>, with <c>dotnet</c> run through <paramref name="launcher"/> (e.g. setpriv to drop to another user).</summary>
    public static AgentProcess StartVia(IReadOnlyList<string> launcher, string assembly, string workingDirectory, IDictionary<string, string> environment, params string[] arguments) =>
        Launch(new ServerLaunch(assembly)
        {
            WorkingDirectory = workingDirectory,
            Environment = environment.AsReadOnly(),
            Launcher = launcher,
            Arguments = arguments,
        });

    /// <summary>
    /// Starts the server on a free port of 127.0.0.1 (PORT and HOST set, Production environment) and waits until
    /// /health answers 200; fails with its output (or log path) if it exits or never does.
    /// </summary>
    public static async Task<AgentProcess> StartHealthyAsync(ServerLaunch launch)
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["HOST"] = "127.0.0.1",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        foreach (var (name, value) in launch.Environment)
        {
            environment[name] = value;
        }
        var clock = Stopwatch.StartNew();
        var server = Launch(launch with { Environment = environment });
        server.Port = port;
        try
        {
            await server.WaitUntilHealthyAsync(server.BaseAddress, launch.HealthTimeout, TimeSpan.FromMilliseconds(10));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        server.StartupTime = clock.Elapsed;
        return server;
    }

    private static AgentProcess Launch(ServerLaunch launch)
    {
        var launcher = launch.Launcher;
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet")
        {
            WorkingDirectory = launch.WorkingDirectory ?? Path.GetDirectoryName(launch.Assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var part in launcher.Skip(1).Concat(launcher.Count > 0 ? ["dotnet"] : []))
        {
            start.ArgumentList.Add(part);
        }
        start.Environment["XDG_DATA_HOME"] = Path.Combine(start.WorkingDirectory, ".xdg-data");
        start.ArgumentList.Add(launch.Assembly);
        foreach (var argument in launch.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The caller's own settings must not leak into the server under test.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "AGENT_API_KEY", "PORT", "HOST", "LLM_PROVIDER", "LLM_API_KEY" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in launch.Environment)
        {
            start.Environment[name] = value;
        }
        var output = launch.LogPath is null ? ProcessOutput.InMemory() : ProcessOutput.ToFile(launch.LogPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {launch.Assembly}");
        return new AgentProcess(process, output, launch.GracefulStop);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls /health until it answers 200; fails with the server's output if it exits or never does.</summary>
    public Task WaitUntilHealthyAsync(Uri baseUrl, TimeSpan timeout) => WaitUntilHealthyAsync(baseUrl, timeout, TimeSpan.FromMilliseconds(100));

    private async Task WaitUntilHealthyAsync(Uri baseUrl, TimeSpan timeout, TimeSpan interval)
    {
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Server exited with {_process.ExitCode} before it was healthy.\n{_output.Describe()}");
            }
            try
            {
                using var response = await client.GetAsync("/health");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening, or not answering, yet.
                return false;
            }
        }, timeout, () => $"Server not healthy within {timeout}.\n{_output.Describe()}", interval);
    }

    /// <summary>SIGKILL: no shutdown hooks run, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGKILL, then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            if (!_gracefulStop || !await StopGracefullyAsync())
            {
                await KillAsync();
            }
        }
        _process.Dispose();
        _output.Dispose();
    }

    /// <summary>SIGTERM lets the host stop gracefully; false when it has not within the grace period.</summary>
    private async Task<bool> StopGracefullyAsync()
    {
        using (var term = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        return await WaitForExitAsync(GracePeriod);
    }
}
