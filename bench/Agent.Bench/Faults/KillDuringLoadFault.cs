using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

namespace Agent.Bench.Faults;

/// <summary>
/// SIGKILL during sustained load, then restart on the same database: every run the client got a 200 for must be in
/// the audit trail, complete, with its decision and execution, and the database must pass PRAGMA integrity_check.
/// </summary>
public static class KillDuringLoadFault
{
    private const int Workers = 8;

    public static async Task RunAsync(BenchContext context, Report report)
    {
        Console.WriteLine("== fault: SIGKILL during load");
        var workspace = Workspaces.CreateWithEntries(context, "kill-workspace");
        var databasePath = Path.Combine(context.NewDirectory("kill-data"), "agent.db");
        var environment = context.AgentEnvironment(workspace, databasePath);
        var log = Path.Combine(context.Scratch, "agent-kill.log");

        LoadOutcome outcome;
        await using (var server = await ServerProcess.StartAsync(context.AgentDll, FreePort.Next(), environment, log))
        {
            using var client = AgentClient.Create(server.BaseAddress);
            using var stop = new CancellationTokenSource();
            var load = HttpLoad.RunAsync(client, Workers, stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(5));
            await server.KillAsync();
            // Keep the workers going briefly so that every request in flight fails against the dead server.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            await stop.CancelAsync();
            outcome = await load;
        }

        TimeSpan restart;
        await using (var restarted = await ServerProcess.StartAsync(context.AgentDll, FreePort.Next(), environment, log))
        {
            restart = restarted.StartupTime;
        }

        using var audit = new AuditDatabase(databasePath);
        var acknowledged = outcome.Acknowledged.ToList();
        var lost = acknowledged.Count(r => !audit.IsFullyRecorded(r.RequestId!, r.Status!, r.ToolExecutions));
        var rows = audit.Count("SELECT count(*) FROM requests");
        var interrupted = audit.Count("SELECT count(*) FROM requests WHERE error = 'interrupted'");
        var stillRunning = audit.Count("SELECT count(*) FROM requests WHERE status = 'running'");
        var integrity = audit.IntegrityCheck();
        Console.WriteLine($"   {acknowledged.Count} acknowledged, {lost} lost, {rows} request rows ({interrupted} interrupted, {stillRunning} still running), integrity {integrity}; {outcome.Failures} requests failed as the server died");

        report.Add(new ResultRow("SIGKILL under load: acknowledged runs lost", lost, "runs", acknowledged.Count, "runs acknowledged with 200",
            "0", lost == 0, $"{rows} request rows after restart, {interrupted} closed as interrupted, {stillRunning} left running"));
        report.Add(new ResultRow("SIGKILL: PRAGMA integrity_check", null, "", Target: "ok", Met: integrity == "ok", Note: integrity));
        report.Add(new ResultRow("Restart after SIGKILL to healthy", restart.TotalMilliseconds, "ms"));
    }
}
