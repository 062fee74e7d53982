using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Agent.Bench.Infrastructure;

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
        var connections = new List<RawSubscriber>();
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

    /// <summary>
    /// One subscriber speaking SignalR's JSON protocol over a plain WebSocket: handshake, <c>SubscribeAll</c>, then each
    /// <c>RunEvent</c> record is read only as far as its <c>type</c> and <c>timestamp</c>. The SignalR client parsed every
    /// event of every subscriber into a document; with 100 subscribers on the server's two cores that parsing (60 ms of
    /// CPU per run) was what the latency measured.
    /// </summary>
    private static async Task<RawSubscriber> ConnectAsync(Uri baseAddress, ConcurrentQueue<double> latencies, Received received)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-API-Key", BenchContext.ApiKey);
        var hub = new UriBuilder(new Uri(baseAddress, HubPath)) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws" }.Uri;
        await socket.ConnectAsync(hub, CancellationToken.None);
        var counting = new CountingWebSocket(socket);
        received.Sockets.Add(counting);
        var subscriber = new RawSubscriber(counting, latencies, received);
        await subscriber.StartAsync();
        return subscriber;
    }

    private sealed class RawSubscriber(CountingWebSocket socket, ConcurrentQueue<double> latencies, Received received) : IAsyncDisposable
    {
        private const byte RecordSeparator = 0x1e;
        private static readonly byte[] Arguments = "\"arguments\":["u8.ToArray();
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private byte[] _buffer = new byte[64 * 1024];
        private int _length;
        private Task? _receiving;
        private Task? _pinging;

        public async Task StartAsync()
        {
            await SendAsync("""{"protocol":"json","version":1}""");
            await SendAsync("""{"type":1,"invocationId":"1","target":"SubscribeAll","arguments":[]}""");
            _receiving = ReceiveAsync();
            // The server drops a client it has not heard from for 30 s (ClientTimeoutInterval).
            _pinging = PingAsync();
            await _subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        private Task SendAsync(string record) =>
            socket.SendAsync(new ReadOnlyMemory<byte>(System.Text.Encoding.UTF8.GetBytes(record + "\u001e")), WebSocketMessageType.Text, true, _stop.Token).AsTask();

        private async Task PingAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                    await SendAsync("""{"type":6}""");
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }

        private async Task ReceiveAsync()
        {
            try
            {
                while (true)
                {
                    if (_length == _buffer.Length)
                    {
                        Array.Resize(ref _buffer, _buffer.Length * 2);
                    }
                    var result = await socket.ReceiveAsync(_buffer.AsMemory(_length), _stop.Token);
                    var arrived = DateTimeOffset.UtcNow;
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    _length += result.Count;
                    var consumed = 0;
                    int end;
                    while ((end = Array.IndexOf(_buffer, RecordSeparator, consumed, _length - consumed)) >= 0)
                    {
                        OnRecord(_buffer.AsSpan(consumed, end - consumed), arrived);
                        consumed = end + 1;
                    }
                    _buffer.AsSpan(consumed, _length - consumed).CopyTo(_buffer);
                    _length -= consumed;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
            finally
            {
                _subscribed.TrySetException(new InvalidOperationException("The hub closed the connection before SubscribeAll completed."));
            }
        }

        private void OnRecord(ReadOnlySpan<byte> record, DateTimeOffset arrived)
        {
            var arguments = record.IndexOf(Arguments);
            if (arguments < 0)
            {
                // The handshake's {}, pings, and SubscribeAll's completion (type 3).
                if (record.IndexOf("\"type\":3"u8) >= 0)
                {
                    _subscribed.TrySetResult();
                }
                return;
            }
            // {"type":1,"target":"RunEvent","arguments":[EVENT]}
            var runEvent = record[(arguments + Arguments.Length)..^2];
            Interlocked.Increment(ref received.Events);
            Interlocked.Add(ref received.JsonBytes, runEvent.Length);
            var reader = new Utf8JsonReader(runEvent);
            reader.Read();
            string? type = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.GetString();
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    reader.Read();
                    if (type == "tool_completed")
                    {
                        var completed = DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                        latencies.Enqueue((arrived - completed).TotalMilliseconds);
                    }
                    return;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_receiving ?? Task.CompletedTask, _pinging ?? Task.CompletedTask);
            socket.Dispose();
            _stop.Dispose();
        }
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
