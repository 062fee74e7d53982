using System.Collections.Concurrent;
using System.Diagnostics;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

namespace Agent.Bench.SlowRuns;

/// <summary>
/// Many slow runs: <see cref="InFlight"/> clients each keep one /agent/run in flight against a model that takes 1 s per
/// turn (two turns per run). Ideal throughput is in-flight ÷ model time per run; the server's cost is what a run takes
/// beyond its model time, its peak resident memory, and how /health answers meanwhile.
/// </summary>
public static class SlowRunsBenchmark
{
    public const int InFlight = 1000;
    private static readonly TimeSpan TurnTime = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(BenchContext context, Report report, TimeSpan measured)
    {
        Console.WriteLine($"== 6: many slow runs ({InFlight} in flight, model answers each turn after {TurnTime.TotalSeconds:0} s)");
        await using var model = await SlowModelServer.StartAsync(TurnTime);
        var workspace = Workspaces.CreateWithEntries(context, "slow-workspace");
        var environment = context.AgentEnvironment(workspace, Path.Combine(context.NewDirectory("slow-data"), "agent.db"));
        environment["LLM_PROVIDER"] = "openai-compatible";
        environment["LLM_BASE_URL"] = model.BaseUrl.ToString();
        environment["LLM_API_KEY"] = "slow-model-key";
        environment["LLM_MODEL"] = "slow-model";
        environment["LLM_TIMEOUT"] = "60";
        await using var server = await context.StartServerAsync(context.AgentDll, environment, "agent-slow.log");

        var modelTimePerRun = TurnTime * SlowModelServer.TurnsPerRun;
        var warmUp = modelTimePerRun * 2;
        var samples = new ConcurrentBag<(TimeSpan Start, TimeSpan End, bool Ok)>();
        var clock = Stopwatch.StartNew();
        using var client = AgentClient.Create(server.BaseAddress, TimeSpan.FromSeconds(120));
        using var stop = new CancellationTokenSource(warmUp + measured);
        using var probeStop = new CancellationTokenSource();
        var probe = Task.Run(async () =>
        {
            await Task.Delay(warmUp);
            return await HealthProbe.RunAsync(server.BaseAddress, TimeSpan.FromMilliseconds(50), probeStop.Token);
        });

        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(async () =>
        {
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
        await probeStop.CancelAsync();
        var health = await probe;
        var memory = server.Memory();

        var window = (From: warmUp, To: warmUp + measured);
        var completed = samples.Count(s => s.Ok && s.End >= window.From && s.End < window.To);
        var failed = samples.Count(s => !s.Ok);
        var throughput = completed / measured.TotalSeconds;
        var ideal = InFlight / modelTimePerRun.TotalSeconds;
        var overhead = new Percentiles(samples.Where(s => s.Ok && s.Start >= window.From)
            .Select(s => (s.End - s.Start - modelTimePerRun).TotalMilliseconds));
        Console.WriteLine($"   {completed} runs completed in {measured.TotalSeconds:0} s ({throughput:0} runs/s, ideal {ideal:0}), {failed} failed; " +
            $"overhead p50 {overhead.Median:0.0} / p99 {overhead.P99:0.0} ms; peak RSS {memory.PeakMiB:0} MiB; health {health.Summary}; {model.Turns} model turns");

        report.Add(new ResultRow($"Many slow runs: completed runs/s ({InFlight} in flight, {modelTimePerRun.TotalSeconds:0} s model time per run)", throughput, "runs/s",
            ideal, "ideal: in-flight ÷ model time per run", "≥ 90 % of ideal", throughput >= 0.9 * ideal && failed == 0,
            $"{completed} runs in {measured.TotalSeconds:0} s after a {warmUp.TotalSeconds:0} s ramp; {failed} failed"));
        report.Add(new ResultRow("Many slow runs: server overhead beyond model time, p50", overhead.Median, "ms", Note: $"n={overhead.Count}"));
        report.Add(new ResultRow("Many slow runs: server overhead beyond model time, p99", overhead.P99, "ms", Target: "< 50 ms", Met: overhead.P99 < 50,
            Note: $"max {overhead.Max:0} ms; measured at the client, so it includes the client's own queueing"));
        report.Add(new ResultRow("Many slow runs: peak resident memory (VmHWM)", memory.PeakMiB, "MiB", Target: "< 1024 MiB", Met: memory.PeakMiB < 1024));
        report.Add(new ResultRow("Many slow runs: /health p99 during the load", health.Latency.P99, "ms", Target: "< 50 ms",
            Met: health.Failures == 0 && health.Latency.P99 < 50, Note: health.Summary));
        report.Note($"Many slow runs: {InFlight} closed-loop clients in the bench process post /agent/run; the fake model (also in the bench process) answers " +
            $"each turn {TurnTime.TotalSeconds:0} s after it arrives, a tool call first and then text. Overhead = client-observed run time − {modelTimePerRun.TotalSeconds:0} s.");
    }
}
