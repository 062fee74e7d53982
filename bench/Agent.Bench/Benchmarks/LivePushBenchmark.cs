using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// Figure 4: time from a tool step's completion (the tool_completed event's own timestamp, taken by the server) to its
/// arrival at SignalR clients subscribed to all runs. The clients run in a separate process (<see cref="PushClients"/>);
/// server, clients and bench share the machine's clock.
/// </summary>
public static class LivePushBenchmark
{
    public static async Task RunAsync(BenchContext context, Report report, int runs)
    {
        Console.WriteLine("== 4: live push to SignalR subscribers (clients in a separate process)");
        var workspace = Workspaces.CreateWithEntries(context, "push-workspace");
        var data = context.NewDirectory("push-data");
        await using var server = await context.StartServerAsync(context.AgentDll, context.AgentEnvironment(workspace, Path.Combine(data, "agent.db")), "agent-push.log");
        using var client = AgentClient.Create(server.BaseAddress);
        // The same warm-up as the throughput sweep: one run left the JIT compiling on the measured path.
        await Wrk.RunAsync(context, server.BaseAddress, 4, LoadSweep.WarmUp);

        Percentiles? single = null;
        foreach (var subscribers in new[] { 1, 100 })
        {
            var (latencies, serverCpu, clientsCpu, bytes) = await MeasureAsync(server, client, subscribers, runs);
            var isTarget = subscribers == 100;
            report.Add(new ResultRow($"Live push: bytes per run to one subscriber, {subscribers} subscriber(s)", bytes.WirePerRun, "B", Note:
                $"WebSocket message bytes (SignalR framing included) per run per subscriber; {bytes.EventsPerRun:0.0} events per run, " +
                $"{bytes.JsonPerRun:0} B of event JSON"));
            report.Add(new ResultRow($"Live push: CPU per run, {subscribers} subscriber(s)", serverCpu, "ms", Note:
                $"server (user + system, /proc) per run pushed; the subscribers' process {clientsCpu:0.00} ms per run"));
            report.Add(new ResultRow($"Live push p50, {subscribers} subscriber(s)", latencies.Median, "ms",
                isTarget ? single?.Median : null, isTarget ? "1 subscriber" : null, Note: $"n={latencies.Count}"));
            report.Add(new ResultRow($"Live push p99, {subscribers} subscriber(s)", latencies.P99, "ms",
                isTarget ? single?.P99 : null, isTarget ? "1 subscriber" : null,
                isTarget ? "< 20 ms" : null, isTarget ? latencies.P99 < 20 : null, $"max {latencies.Max:0.0} ms"));
            single ??= latencies;
        }
        report.Note("Live push: the subscribers run in a child process (`Agent.Bench push-clients`), not in the bench process that posts the runs; " +
            "all processes share the machine's cores (pinning them apart with taskset, either way round, made delivery worse). " +
            "Each subscriber speaks SignalR's JSON protocol over a plain WebSocket and reads each event only as far as its type and timestamp. " +
            "Timestamps are written with millisecond precision (truncated), so each sample may read up to 1 ms high.");
    }

    /// <summary>What one subscriber was sent per run: WebSocket message bytes, events, and the events' JSON bytes.</summary>
    private sealed record PushedBytes(double WirePerRun, double EventsPerRun, double JsonPerRun);

    private static async Task<(Percentiles Latencies, double ServerCpuMsPerRun, double ClientsCpuMsPerRun, PushedBytes Bytes)> MeasureAsync(
        AgentProcess server, HttpClient client, int subscribers, int runs)
    {
        await using var clients = await PushClients.Child.StartAsync(server.BaseAddress, subscribers);
        // Warm-up runs with the subscribers connected, so that no measured message pays for the push path's JIT.
        for (var i = 0; i < 20; i++)
        {
            await AgentClient.RunAsync(client, AgentClient.ListFiles);
        }
        await Task.Delay(500);
        await clients.SendAsync("RESET");

        var (serverBefore, clientsBefore) = (ProcessCpu.Read(server.Id), ProcessCpu.Read(clients.Pid));
        for (var i = 0; i < runs; i++)
        {
            await AgentClient.RunAsync(client, AgentClient.ListFiles);
            // Spaced runs: this measures delivery latency, not a queue built by the bench itself.
            await Task.Delay(20);
        }
        var expected = runs * subscribers;
        var arrived = 0;
        for (var waited = 0; (arrived = await clients.CountAsync()) < expected && waited < 50; waited++)
        {
            await Task.Delay(100);
        }
        var (serverAfter, clientsAfter) = (ProcessCpu.Read(server.Id), ProcessCpu.Read(clients.Pid));
        var (wire, events, json) = await clients.BytesAsync();
        double perRun = (double)runs * subscribers;
        var bytes = new PushedBytes(wire / perRun, events / perRun, json / perRun);
        Console.WriteLine($"   {subscribers} subscriber(s): {bytes.WirePerRun:0} B per run per subscriber on the wire, {bytes.EventsPerRun:0.0} events, {bytes.JsonPerRun:0} B of event JSON");
        if (arrived < expected)
        {
            Console.WriteLine($"   warning: {expected - arrived} of {expected} tool_completed events did not arrive");
        }
        return (new Percentiles(await clients.StopAsync()),
            ProcessCpu.MsPerRun(serverBefore, serverAfter, runs), ProcessCpu.MsPerRun(clientsBefore, clientsAfter, runs), bytes);
    }
}
