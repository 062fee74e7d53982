using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

namespace Agent.Bench.Faults;

/// <summary>
/// SIGKILL during sustained load, then restart on the same database: every run the client got a 200 for must be in
/// the audit trail, complete, with its decision and execution, and the database must pass PRAGMA integrity_check.
/// The scenario itself is Agent.Testing's <see cref="KillDuringLoad"/>, which the crash test runs too.
/// </summary>
public static class KillDuringLoadFault
{
    public static async Task RunAsync(BenchContext context, Report report)
    {
        Console.WriteLine("== fault: SIGKILL during load");
        var workspace = Workspaces.CreateWithEntries(context, "kill-workspace");
        var databasePath = Path.Combine(context.NewDirectory("kill-data"), "agent.db");
        var launch = new ServerLaunch(context.AgentDll)
        {
            Environment = context.AgentEnvironment(workspace, databasePath),
            LogPath = Path.Combine(context.Scratch, "agent-kill.log"),
            GracefulStop = true,
        };

        var outcome = await KillDuringLoad.RunAsync(new KillDuringLoadPlan(launch, BenchContext.ApiKey, databasePath)
        {
            Inputs = [AgentClient.ListFiles],
            LoadTime = TimeSpan.FromSeconds(5),
        });

        var acknowledged = outcome.Acknowledged.Count;
        var lost = outcome.Lost.Count;
        var (rows, interrupted, stillRunning, integrity) = (outcome.RequestRows, outcome.Interrupted, outcome.StillRunning, outcome.Integrity);
        Console.WriteLine($"   {acknowledged} acknowledged, {lost} lost, {rows} request rows ({interrupted} interrupted, {stillRunning} still running), integrity {integrity}, chain {outcome.ChainStatus}; {outcome.Load.Failures} requests failed as the server died");

        report.Add(new ResultRow("SIGKILL under load: acknowledged runs lost", lost, "runs", acknowledged, "runs acknowledged with 200",
            "0", lost == 0, $"{rows} request rows after restart, {interrupted} closed as interrupted, {stillRunning} left running"));
        report.Add(new ResultRow("SIGKILL: PRAGMA integrity_check", null, "", Target: "ok", Met: integrity == "ok", Note: integrity));
        report.Add(new ResultRow("SIGKILL: full-text index after restart", null, "", Target: "ok", Met: outcome.SearchIndex == "ok",
            Note: $"{outcome.SearchIndex}; {outcome.UnindexedAtKill} chain entries were committed but not yet indexed at the kill, indexed at start-up"));
        report.Add(new ResultRow("Restart after SIGKILL to healthy", outcome.RestartTime.TotalMilliseconds, "ms"));
    }
}
