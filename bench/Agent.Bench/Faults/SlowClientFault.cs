using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

namespace Agent.Bench.Faults;

/// <summary>
/// Slow clients trickling a request body (a large Content-Length, one byte per second): Kestrel's minimum body data
/// rate should cut them off, and /health must stay fast meanwhile.
/// </summary>
public static class SlowClientFault
{
    private const int Clients = 20;
    private const int DeclaredLength = 100_000;
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(BenchContext context, Report report)
    {
        Console.WriteLine($"== fault: {Clients} slow clients trickling a body at 1 byte/s");
        var workspace = Workspaces.CreateWithEntries(context, "slow-workspace");
        var databasePath = Path.Combine(context.NewDirectory("slow-data"), "agent.db");
        await using var server = await context.StartServerAsync(context.AgentDll, context.AgentEnvironment(workspace, databasePath), "agent-slow.log");

        HealthProbeResult quiet;
        using (var settle = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
        {
            quiet = await HealthProbe.RunAsync(server.BaseAddress, TimeSpan.FromMilliseconds(100), settle.Token);
        }

        using var stopProbe = new CancellationTokenSource();
        var probe = HealthProbe.RunAsync(server.BaseAddress, TimeSpan.FromMilliseconds(100), stopProbe.Token);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => TrickleAsync(server.Port)));
        await stopProbe.CancelAsync();
        var busy = await probe;

        var cut = outcomes.Where(o => o.Rejected).ToList();
        var times = new Percentiles(cut.Select(o => o.Elapsed.TotalSeconds));
        var answers = string.Join(", ", outcomes.GroupBy(o => o.Answer).Select(g => $"{g.Key}: {g.Count()}"));
        Console.WriteLine($"   {cut.Count}/{Clients} cut off, median after {times.Median:0.0} s ({answers}); health {busy.Summary}");

        report.Add(new ResultRow("Slow body (1 B/s): clients cut off", cut.Count, "clients", Clients, "slow clients",
            "all within 20 s", cut.Count == Clients && times.Max <= 20, $"median {times.Median:0.0} s, max {times.Max:0.0} s; {answers}"));
        report.Add(new ResultRow("Slow body: /health p99 meanwhile", busy.Latency.P99, "ms", quiet.Latency.P99, "/health p99 idle",
            "answers", busy.Failures == 0 && busy.Latency.Count > 0, busy.Summary));
    }

    /// <summary>Sends the headers, then one body byte per second until the server answers or closes, or we give up.</summary>
    private static async Task<TrickleOutcome> TrickleAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var headers = $"POST /agent/run HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n" +
            $"X-API-Key: {BenchContext.ApiKey}\r\nContent-Length: {DeclaredLength}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(headers));
        var clock = Stopwatch.StartNew();
        var reading = ReadFirstAnswerAsync(socket);
        var body = Encoding.ASCII.GetBytes("{\"input\":\"" + new string('a', DeclaredLength));
        for (var i = 0; clock.Elapsed < GiveUpAfter && !reading.IsCompleted; i++)
        {
            try
            {
                await socket.SendAsync(body.AsMemory(i, 1));
            }
            catch (SocketException)
            {
                break;
            }
            await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1)));
        }
        if (!reading.IsCompleted)
        {
            return new TrickleOutcome(false, clock.Elapsed, "still open after 30 s");
        }
        return new TrickleOutcome(true, clock.Elapsed, await reading);
    }

    private static async Task<string> ReadFirstAnswerAsync(Socket socket)
    {
        var buffer = new byte[512];
        try
        {
            var read = await socket.ReceiveAsync(buffer);
            return read == 0 ? "closed" : Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        }
        catch (SocketException ex)
        {
            return $"reset ({ex.SocketErrorCode})";
        }
    }

    private sealed record TrickleOutcome(bool Rejected, TimeSpan Elapsed, string Answer);
}
