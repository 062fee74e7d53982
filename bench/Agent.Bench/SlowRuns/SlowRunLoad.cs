using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Agent.Bench.Infrastructure;

namespace Agent.Bench.SlowRuns;

/// <summary>
/// The load of the many-slow-runs figure in a process of its own (<c>Agent.Bench slow-load IN_FLIGHT TURN_MS</c>): the fake
/// model and the closed-loop clients, so that the bench process (which samples the server's CPU and probes /health) and the
/// load generator are told apart, and the load can be pinned to a core of its own. Protocol on stdin/stdout: the child
/// prints <c>MODEL url</c>; the parent answers <c>GO server-url warm-up-ms measured-ms</c>; the child prints the outcome as JSON.
/// </summary>
public static class SlowRunLoad
{
    /// <summary>The child process's main.</summary>
    public static async Task<int> ServeAsync(int inFlight, TimeSpan turnTime)
    {
        await using var model = await SlowModelServer.StartAsync(turnTime);
        Console.WriteLine($"MODEL {model.BaseUrl}");
        var go = (await Console.In.ReadLineAsync())?.Split(' ');
        if (go is not ["GO", var server, var warmUpMs, var measuredMs])
        {
            return 2;
        }
        var warmUp = TimeSpan.FromMilliseconds(double.Parse(warmUpMs, CultureInfo.InvariantCulture));
        var measured = TimeSpan.FromMilliseconds(double.Parse(measuredMs, CultureInfo.InvariantCulture));
        var modelTimePerRun = turnTime * SlowModelServer.TurnsPerRun;

        var samples = new ConcurrentBag<(TimeSpan Start, TimeSpan End, bool Ok)>();
        var clock = Stopwatch.StartNew();
        using var client = AgentClient.Create(new Uri(server), TimeSpan.FromSeconds(120));
        using var stop = new CancellationTokenSource(warmUp + measured);
        // Client i starts i/inFlight of a run's model time after the first: started together, every client's turn would be
        // answered in the same instant for the whole run, and the server would see waves of 1,000 at once instead of a load.
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(i => Task.Run(async () =>
        {
            await Task.Delay(modelTimePerRun * i / inFlight);
            while (!stop.IsCancellationRequested)
            {
                var start = clock.Elapsed;
                bool ok;
                try
                {
                    var reply = await AgentClient.RunAsync(client, AgentClient.ListFiles);
                    ok = reply is { HttpStatus: 200, Status: "success", ToolExecutions: 1 };
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    ok = false;
                }
                samples.Add((start, clock.Elapsed, ok));
            }
        })));

        var window = (From: warmUp, To: warmUp + measured);
        var outcome = new SlowRunOutcome(
            Completed: samples.Count(s => s.Ok && s.End >= window.From && s.End < window.To),
            Failed: samples.Count(s => !s.Ok),
            OverheadMs: [.. samples.Where(s => s.Ok && s.Start >= window.From).Select(s => (s.End - s.Start - modelTimePerRun).TotalMilliseconds)],
            ModelTurns: model.Turns);
        Console.WriteLine(JsonSerializer.Serialize(outcome));
        return 0;
    }

    /// <summary>The parent's handle on the running load process.</summary>
    public sealed class Child : IAsyncDisposable
    {
        private readonly Process _process;

        private Child(Process process, Uri modelUrl)
        {
            _process = process;
            ModelUrl = modelUrl;
        }

        public Uri ModelUrl { get; }
        public int Pid => _process.Id;

        public static async Task<Child> StartAsync(int inFlight, TimeSpan turnTime)
        {
            var info = new ProcessStartInfo("dotnet",
            [
                typeof(SlowRunLoad).Assembly.Location, "slow-load",
                inFlight.ToString(CultureInfo.InvariantCulture), turnTime.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
            ])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the slow-run load.");
            var line = await process.StandardOutput.ReadLineAsync();
            return line is not null && line.StartsWith("MODEL ", StringComparison.Ordinal)
                ? new Child(process, new Uri(line["MODEL ".Length..]))
                : throw new InvalidOperationException($"The slow-run load did not start: {line}");
        }

        /// <summary>Starts the clients against <paramref name="server"/>; they stop after warm-up plus measured time.</summary>
        public void Go(Uri server, TimeSpan warmUp, TimeSpan measured)
        {
            _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"GO {server} {warmUp.TotalMilliseconds:0} {measured.TotalMilliseconds:0}"));
            _process.StandardInput.Flush();
        }

        public async Task<SlowRunOutcome> OutcomeAsync() =>
            JsonSerializer.Deserialize<SlowRunOutcome>(await _process.StandardOutput.ReadLineAsync()
                ?? throw new InvalidOperationException("The slow-run load ended without an outcome."))!;

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}

/// <summary>What the load saw: runs completed in the measured window, failures, per-run overhead beyond model time, model turns.</summary>
public sealed record SlowRunOutcome(int Completed, int Failed, double[] OverheadMs, long ModelTurns);
