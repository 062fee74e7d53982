using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Agent.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// SignalR subscribers in a process of their own (<c>Agent.Bench push-clients URL COUNT</c>), so the live-push figure
/// measures the server's fan-out rather than 100 clients competing with the bench for its thread pool. Commands on stdin:
/// <c>RESET</c> forgets what arrived, <c>COUNT</c> prints how many samples arrived, <c>BYTES</c> prints the WebSocket message
/// bytes, the events and the events' JSON bytes received since, <c>STOP</c> prints the samples and exits.
/// </summary>
public static class PushClients
{
    private const string HubPath = "hubs/runs";
    private const string EventMethod = "RunEvent";

    /// <summary>The child process's main.</summary>
    public static async Task<int> ServeAsync(Uri baseAddress, int count)
    {
        var latencies = new ConcurrentQueue<double>();
        var received = new Received();
        var connections = new List<HubConnection>();
        for (var i = 0; i < count; i++)
        {
            connections.Add(await ConnectAsync(baseAddress, latencies, received));
        }
        Console.WriteLine("READY");
        while (await Console.In.ReadLineAsync() is { } command)
        {
            switch (command.Trim())
            {
                case "RESET":
                    latencies.Clear();
                    received.Reset();
                    Console.WriteLine("OK");
                    break;
                case "BYTES":
                    Console.WriteLine(received.ToString());
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

        /// <summary>WebSocket message bytes, events and the events' JSON bytes received by all subscribers since RESET.</summary>
        public async Task<(long WireBytes, long Events, long JsonBytes)> BytesAsync()
        {
            var parts = (await SendAsync("BYTES"))!.Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return (parts[0], parts[1], parts[2]);
        }

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

    private static async Task<HubConnection> ConnectAsync(Uri baseAddress, ConcurrentQueue<double> latencies, Received received)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, HubPath), o =>
            {
                o.Headers["X-API-Key"] = BenchContext.ApiKey;
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var socket = new ClientWebSocket();
                    socket.Options.SetRequestHeader("X-API-Key", BenchContext.ApiKey);
                    await socket.ConnectAsync(context.Uri, cancellationToken);
                    var counting = new CountingWebSocket(socket);
                    received.Sockets.Add(counting);
                    return counting;
                };
            })
            .Build();
        connection.On<JsonElement>(EventMethod, runEvent =>
        {
            var arrived = DateTimeOffset.UtcNow;
            Interlocked.Increment(ref received.Events);
            Interlocked.Add(ref received.JsonBytes, System.Text.Encoding.UTF8.GetByteCount(runEvent.GetRawText()));
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

    /// <summary>What the subscribers received since the last RESET.</summary>
    private sealed class Received
    {
        public readonly ConcurrentBag<CountingWebSocket> Sockets = [];
        public long Events;
        public long JsonBytes;

        public void Reset()
        {
            foreach (var socket in Sockets)
            {
                socket.Reset();
            }
            Interlocked.Exchange(ref Events, 0);
            Interlocked.Exchange(ref JsonBytes, 0);
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{Sockets.Sum(s => s.Received)} {Interlocked.Read(ref Events)} {Interlocked.Read(ref JsonBytes)}");
    }
}
