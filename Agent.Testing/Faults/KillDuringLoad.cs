using System.Diagnostics;
using System.Text.Json;

namespace Agent.Testing;

/// <summary>
/// SIGKILL during sustained load, then a restart on the same database: every run the client got a 200 for must be in
/// the audit trail, complete, and the database must pass PRAGMA integrity_check and the hash chain must verify; the
/// full-text index, which trails the commits, must have caught up and match the tables.
/// Shared by the crash test (Agent.Tests) and the fault run (bench/run.sh faults), which read the same outcome.
/// </summary>
public static class KillDuringLoad
{
    public static async Task<KillDuringLoadOutcome> RunAsync(KillDuringLoadPlan plan)
    {
        LoadOutcome load;
        TimeSpan loadTime;
        await using (var server = await AgentProcess.StartHealthyAsync(plan.Launch))
        {
            using var client = AgentRuns.CreateClient(server.BaseAddress, plan.ApiKey, plan.RequestTimeout);
            using var stop = new CancellationTokenSource();
            var running = HttpLoad.Start(client, plan.Workers, plan.Inputs, stop.Token);
            // Time under load is counted from here: a slow server start on a busy machine must not starve the load phase.
            var clock = Stopwatch.StartNew();
            await Eventually.TryUntilAsync(() => running.Acknowledged >= plan.KillAfterAcknowledged, plan.LoadTime, TimeSpan.FromMilliseconds(20));
            loadTime = clock.Elapsed;
            await server.KillAsync();
            // Keep the workers going briefly so that every request in flight fails against the dead server.
            await Task.Delay(plan.DrainAfterKill);
            await stop.CancelAsync();
            load = await running.CompletedAsync();
        }

        // Full-text indexing trails the commits: what the kill left unindexed is indexed again at the restart.
        long? unindexed;
        using (var killed = new AuditDatabase(plan.DatabasePath))
        {
            unindexed = killed.UnindexedEntries();
        }

        TimeSpan restart;
        string chain;
        await using (var restarted = await AgentProcess.StartHealthyAsync(plan.Launch))
        {
            restart = restarted.StartupTime;
            using var client = AgentRuns.CreateClient(restarted.BaseAddress, plan.ApiKey, plan.RequestTimeout);
            using var verify = JsonDocument.Parse(await client.GetStringAsync("audit/verify"));
            chain = verify.RootElement.GetProperty("status").GetString() ?? "";
        }

        using var audit = new AuditDatabase(plan.DatabasePath);
        var acknowledged = load.Acknowledged.ToList();
        return new KillDuringLoadOutcome(
            load,
            loadTime,
            restart,
            Lost: [.. acknowledged.Where(r => !audit.IsFullyRecorded(r.RequestId!, r.Status!, r.ToolExecutions))],
            RequestRows: audit.Count("SELECT count(*) FROM requests"),
            Interrupted: audit.Count("SELECT count(*) FROM requests WHERE error = 'interrupted'"),
            StillRunning: audit.Count("SELECT count(*) FROM requests WHERE status = 'running'"),
            Integrity: audit.IntegrityCheck(),
            ChainStatus: chain,
            UnindexedAtKill: unindexed,
            SearchIndex: audit.SearchIndexCheck());
    }
}

/// <summary>What to load and when to kill: after <see cref="KillAfterAcknowledged"/> acknowledged runs or <see cref="LoadTime"/>, whichever comes first.</summary>
public sealed record KillDuringLoadPlan(ServerLaunch Launch, string ApiKey, string DatabasePath)
{
    public int Workers { get; init; } = 8;

    /// <summary>The instructions the workers send, in turn.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = ["List the files in the workspace"];

    public long KillAfterAcknowledged { get; init; } = long.MaxValue;

    public TimeSpan LoadTime { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan DrainAfterKill { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The load before the kill, and what the audit trail kept of it after the restart.</summary>
public sealed record KillDuringLoadOutcome(
    LoadOutcome Load,
    TimeSpan LoadTime,
    TimeSpan RestartTime,
    IReadOnlyList<RunReply> Lost,
    long RequestRows,
    long Interrupted,
    long StillRunning,
    string Integrity,
    string ChainStatus,
    long? UnindexedAtKill,
    string SearchIndex)
{
    public IReadOnlyList<RunReply> Acknowledged => [.. Load.Acknowledged];
}
