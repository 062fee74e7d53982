using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Agent.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// SignalR subscribers in a process of their own (<c>Agent.Bench push-clients URL COUNT</c>), so the live-push figure
/// measures the server's fan-out rather than 100 clients competing with the bench for its thread pool. Commands on stdin:
/// <c>RESET</c> forgets what arrived, <c>COUNT</c> prints how many samples arrived, <c>STOP</c> prints them all and exits.
/// </summary>
public static class PushClients
{
    private const string HubPath = "hubs/runs";
    private const string EventMethod = "RunEvent";

    /// <summary>The child process's main.</summary>
    public static async Task<int> ServeAsync(Uri baseAddress, int count)
    {
        var latencies = new ConcurrentQueue<double>();
        var connections = new List<HubConnection>();
        for (var i = 0; i < count; i++)
        {
            connections.Add(await ConnectAsync(baseAddress, latencies));
        }
        Console.WriteLine("READY");
        while (await Console.In.ReadLineAsync() is { } command)
        {
            switch (command.Trim())
            {
                case "RESET":
                    latencies.Clear();
                    Console.WriteLine("OK");
                    break;
                case "COUNT":
                    Console.WriteLine(latencies.Count.ToString(CultureInfo.InvariantCulture));
                    break;
                case "STOP":
                    Console.WriteLine(JsonSerializer.Serialize(latencies.ToArray()));
                    await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
                    return 0;
            }
        }
        return 1;
    }

    /// <summary>The parent's handle on a running child.</summary>
    public sealed class Child : IAsyncDisposable
    {
        private readonly Process _process;

        private Child(Process process) => _process = process;

        public int Pid => _process.Id;

        public static async Task<Child> StartAsync(Uri baseAddress, int count)
        {
            var info = new ProcessStartInfo("dotnet", [typeof(PushClients).Assembly.Location, "push-clients", baseAddress.ToString(), count.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            var child = new Child(Process.Start(info) ?? throw new InvalidOperationException("Could not start the push clients."));
            var ready = await child._process.StandardOutput.ReadLineAsync();
            return ready == "READY" ? child : throw new InvalidOperationException($"The push clients did not start: {ready}");
        }

        public Task<string?> SendAsync(string command)
        {
            _process.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
            return _process.StandardOutput.ReadLineAsync();
        }

        public async Task<int> CountAsync() => int.Parse((await SendAsync("COUNT"))!, CultureInfo.InvariantCulture);

        public async Task<double[]> StopAsync() => JsonSerializer.Deserialize<double[]>((await SendAsync("STOP"))!)!;

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

    private static async Task<HubConnection> ConnectAsync(Uri baseAddress, ConcurrentQueue<double> latencies)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, HubPath), o => o.Headers["X-API-Key"] = BenchContext.ApiKey)
            .Build();
        connection.On<JsonElement>(EventMethod, runEvent =>
        {
            var arrived = DateTimeOffset.UtcNow;
            if (runEvent.GetProperty("type").GetString() == "tool_completed")
            {
                var completed = DateTimeOffset.Parse(runEvent.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                latencies.Enqueue((arrived - completed).TotalMilliseconds);
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeAll");
        return connection;
    }
}
