using System.Diagnostics;
using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;
using Agent.Core.Auditing;

namespace Agent.Bench.Benchmarks;

/// <summary>
/// Figure 2: committed runs per second through the real IAuditWriter, five chained entries per run as the agent writes
/// them (start, decision choosing a tool, execution, final decision, completion), next to the raw limit for the same rows.
/// </summary>
public static class AuditWriteBenchmark
{
    public static readonly int[] Writers = [1, 4, 64];

    public static async Task RunAsync(BenchContext context, Report report, TimeSpan duration, double rawLimit)
    {
        Console.WriteLine("== 2: audit write path");
        var directory = context.NewDirectory("audit-write");
        var workspace = context.NewDirectory("audit-write-workspace");
        await using var audit = await InProcessAudit.OpenAsync(Path.Combine(directory, "agent.db"), workspace);

        foreach (var writers in Writers)
        {
            var (runs, cost) = await MeasureAsync(writers, duration, () => WriteRunAsync(audit.Writer), () => audit.SearchIndexer.CatchUpAsync());
            Console.WriteLine($"   {writers,2} writer(s) {runs,8:0} runs/s  CPU {cost.CpuMs:0.000} ms, disk {cost.WrittenKiB:0.0} KiB per run");
            var isTarget = writers == Writers[^1];
            report.Add(new ResultRow($"Audit write through IAuditWriter, {writers} concurrent run(s)", runs, "runs/s", rawLimit, "raw limit",
                isTarget ? "≥ 50 % of raw limit" : null, isTarget ? runs >= 0.5 * rawLimit : null,
                $"5 chained entries per run, committed before the completion returns; CPU {cost.CpuMs:0.000} ms and disk writes {cost.WrittenKiB:0.0} KiB per run"));
        }
    }

    /// <summary>
    /// Runs per second by <paramref name="writers"/> concurrent loops over <paramref name="duration"/>, and what each run
    /// cost this process; the window closes once <paramref name="settle"/> (indexing the last runs for search) is done.
    /// </summary>
    private static async Task<(double RunsPerSecond, RunCost Cost)> MeasureAsync(int writers, TimeSpan duration, Func<Task> operation, Func<Task> settle)
    {
        await operation(); // Warm-up: JIT, connection, prepared statements.
        long completed = 0;
        var cpu = ProcessCpu.Read(Environment.ProcessId);
        var written = ProcessIo.WriteBytesOfThisProcess();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await operation();
                Interlocked.Increment(ref completed);
            }
        })));
        await settle();
        var perSecond = completed / clock.Elapsed.TotalSeconds;
        return (perSecond, new RunCost(ProcessCpu.MsPerRun(cpu, ProcessCpu.Read(Environment.ProcessId), completed),
            ProcessIo.KiBPerRun(written, ProcessIo.WriteBytesOfThisProcess(), completed)));
    }

    private static async Task WriteRunAsync(IAuditWriter writer)
    {
        var id = Guid.CreateVersion7().ToString();
        var now = DateTimeOffset.UtcNow;
        await writer.StartRunAsync(new RunRecord
        {
            Id = id,
            Input = AgentClient.ListFiles,
            Status = "running",
            Source = "api",
            Principal = "default",
            ClientIp = "127.0.0.1",
            CreatedAt = now,
        });
        var decisionId = await writer.RecordDecisionAsync(new DecisionRecord
        {
            RequestId = id,
            Step = 1,
            SelectedTools = AuditRows.PlanTools,
            Model = "local",
            CreatedAt = now,
        });
        await writer.RecordExecutionAsync(new ToolExecutionRecord
        {
            RequestId = id,
            DecisionId = decisionId,
            ToolName = "list_dir",
            Input = "{\"path\":\".\"}",
            Output = AuditRows.ListingOutput,
            Status = "success",
            DurationMs = 1,
            CreatedAt = now,
        });
        await writer.RecordDecisionAsync(new DecisionRecord
        {
            RequestId = id,
            Step = 2,
            Reasoning = AuditRows.Answer,
            SelectedTools = "[]",
            Model = "local",
            CreatedAt = now,
        });
        await writer.CompleteRunAsync(id, "success", AuditRows.Answer, null, DateTimeOffset.UtcNow, 2);
    }
}
