using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// Figure 4: time from a tool step's completion (the tool_completed event's own timestamp, taken by the server) to its
/// arrival at SignalR clients subscribed to all runs. Server and clients share the machine's clock.
/// </summary>
public static class LivePushBenchmark
{
    private const string HubPath = "hubs/runs";
    private const string EventMethod = "RunEvent";

    public static async Task RunAsync(BenchContext context, Report report, int runs)
    {
        Console.WriteLine("== 4: live push to SignalR subscribers");
        var workspace = Workspaces.CreateWithEntries(context, "push-workspace");
        var data = context.NewDirectory("push-data");
        await using var server = await ServerProcess.StartAsync(context.AgentDll, FreePort.Next(),
            context.AgentEnvironment(workspace, Path.Combine(data, "agent.db")), Path.Combine(context.Scratch, "agent-push.log"));
        using var client = AgentClient.Create(server.BaseAddress);

        Percentiles? single = null;
        foreach (var subscribers in new[] { 1, 100 })
        {
            var latencies = await MeasureAsync(server.BaseAddress, client, subscribers, runs);
            var isTarget = subscribers == 100;
            report.Add(new ResultRow($"Live push p50, {subscribers} subscriber(s)", latencies.Median, "ms",
                isTarget ? single?.Median : null, isTarget ? "1 subscriber" : null, Note: $"n={latencies.Count}"));
            report.Add(new ResultRow($"Live push p99, {subscribers} subscriber(s)", latencies.P99, "ms",
                isTarget ? single?.P99 : null, isTarget ? "1 subscriber" : null,
                isTarget ? "< 20 ms" : null, isTarget ? latencies.P99 < 20 : null, $"max {latencies.Max:0.0} ms"));
            single ??= latencies;
        }
        report.Note("Live push timestamps are written with millisecond precision (truncated), so each sample may read up to 1 ms high.");
    }

    private static async Task<Percentiles> MeasureAsync(Uri baseAddress, HttpClient client, int subscribers, int runs)
    {
        var latencies = new ConcurrentBag<double>();
        var connections = new List<HubConnection>();
        try
        {
            for (var i = 0; i < subscribers; i++)
            {
                connections.Add(await ConnectAsync(baseAddress, latencies));
            }
            // One warm-up run so that no client's first message pays for JIT.
            await AgentClient.RunAsync(client, AgentClient.ListFiles);
            await Task.Delay(500);
            latencies.Clear();

            for (var i = 0; i < runs; i++)
            {
                await AgentClient.RunAsync(client, AgentClient.ListFiles);
                // Spaced runs: this measures delivery latency, not a queue built by the bench itself.
                await Task.Delay(20);
            }
            var expected = runs * subscribers;
            for (var waited = 0; latencies.Count < expected && waited < 50; waited++)
            {
                await Task.Delay(100);
            }
            if (latencies.Count < expected)
            {
                Console.WriteLine($"   warning: {expected - latencies.Count} of {expected} tool_completed events did not arrive");
            }
            return new Percentiles(latencies);
        }
        finally
        {
            await Task.WhenAll(connections.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static async Task<HubConnection> ConnectAsync(Uri baseAddress, ConcurrentBag<double> latencies)
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
                latencies.Add((arrived - completed).TotalMilliseconds);
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeAll");
        return connection;
    }
}
