using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// The built server (Agent.Web.dll) as a child process, as an operator runs it: its own working directory,
/// environment and port. Output is captured; the process is killed on dispose.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private AgentProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_stdout) { _stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_stderr) { _stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string ServerAssembly { get; } = Path.Combine(AppContext.BaseDirectory, "Agent.Web.dll");

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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
    public static AgentProcess StartVia(IReadOnlyList<string> launcher, string assembly, string workingDirectory, IDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var part in launcher.Skip(1).Concat(launcher.Count > 0 ? ["dotnet"] : []))
        {
            start.ArgumentList.Add(part);
        }
        start.Environment["XDG_DATA_HOME"] = Path.Combine(workingDirectory, ".xdg-data");
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // The test runner's own settings must not leak into the server under test.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "AGENT_API_KEY", "PORT", "HOST", "LLM_PROVIDER", "LLM_API_KEY" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new AgentProcess(Process.Start(start)!);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

    /// <summary>Polls /health until it answers 200; fails with the server's output if it never does.</summary>
    public async Task WaitUntilHealthyAsync(Uri baseUrl, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Server exited with {_process.ExitCode}.\n{Stdout}\n{Stderr}");
            }
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Server not healthy within {timeout}.\n{Stdout}\n{Stderr}");
    }

    /// <summary>SIGKILL: no shutdown hooks run, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
