using System.Diagnostics;
using System.Net;

namespace Agent.Bench.Infrastructure;

/// <summary>
/// A server started as `dotnet X.dll` on 127.0.0.1 with its own environment, the way an operator would start it.
/// Its output goes to a log file so that a full pipe can never stall it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log, int port, string logPath)
    {
        _process = process;
        _log = log;
        Port = port;
        LogPath = logPath;
    }

    public int Port { get; }
    public int Pid => _process.Id;
    public string LogPath { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public bool HasExited => _process.HasExited;

    /// <summary>Time from process start to the first 200 from /health.</summary>
    public TimeSpan StartupTime { get; private set; }

    public static async Task<ServerProcess> StartAsync(string dllPath, int port, IReadOnlyDictionary<string, string> environment, string logPath, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet", [dllPath])
        {
            // appsettings.json is read from the content root, which is the working directory.
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["HOST"] = "127.0.0.1";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {dllPath}");
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, log, port, logPath);
        await server.WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(60));
        server.StartupTime = clock.Elapsed;
        return server;
    }

    public MemorySample Memory() => MemorySample.Read(Pid);

    /// <summary>SIGKILL: no shutdown hooks, no flush; what the kernel and SQLite's journal keep is all that survives.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets the host stop gracefully; SIGKILL only if it does not within a few seconds.
            using (var term = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        await _log.DisposeAsync();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var health = new Uri(BaseAddress, "health");
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was healthy; see {LogPath}");
            }
            try
            {
                using var response = await Probe.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"The server was not healthy within {timeout.TotalSeconds:0} s; see {LogPath}");
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after the server was disposed is not needed.
            }
        }
    }
}
