using Agent.Bench.Infrastructure;
using Agent.Bench.Reporting;

namespace Agent.Bench.Faults;

/// <summary>
/// The LLM endpoint fails (500s and hangs past LLM_TIMEOUT) while clients keep posting runs: the server must keep
/// answering /health, answer each run with status error, and record those runs as error in the audit trail.
/// </summary>
public static class FailingLlmFault
{
    private const int Workers = 8;
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(12);

    public static async Task RunAsync(BenchContext context, Report report)
    {
        Console.WriteLine("== fault: LLM endpoint failing (500s, hangs) during load");
        // Chat completions alternately fail with 500 and hang past LLM_TIMEOUT (30 s) before failing.
        await using var llm = await FakeOpenAiServer.StartAsync(record: false);
        var failure = FakeReply.Status(500, "fake upstream failure");
        llm.RespondWith((_, number) => number % 2 == 0 ? failure with { Delay = TimeSpan.FromSeconds(30) } : failure);
        var workspace = Workspaces.CreateWithEntries(context, "llm-workspace");
        var databasePath = Path.Combine(context.NewDirectory("llm-data"), "agent.db");
        var environment = context.AgentEnvironment(workspace, databasePath);
        environment["LLM_PROVIDER"] = "openai-compatible";
        environment["LLM_BASE_URL"] = llm.BaseUrl + "/";
        environment["LLM_API_KEY"] = "fake-key";
        environment["LLM_TIMEOUT"] = "2";
        // Without a model name the server fails before the LLM is called (appsettings' empty Llm:Model is not
        // treated as unset), which is a different defect from the one this fault is about.
        environment["LLM_MODEL"] = FakeOpenAiServer.ModelName;

        LoadOutcome outcome;
        HealthProbeResult health;
        await using (var server = await context.StartServerAsync(context.AgentDll, environment, "agent-llm.log"))
        {
            using var client = AgentClient.Create(server.BaseAddress, TimeSpan.FromSeconds(60));
            using var stop = new CancellationTokenSource(LoadDuration);
            var probe = HealthProbe.RunAsync(server.BaseAddress, TimeSpan.FromMilliseconds(100), stop.Token);
            outcome = await HttpLoad.RunAsync(client, Workers, [AgentClient.ListFiles], stop.Token);
            health = await probe;
        }

        using var audit = new AuditDatabase(databasePath);
        var acknowledged = outcome.Acknowledged.ToList();
        var errorReplies = acknowledged.Count(r => r.Status == "error");
        var errorRows = audit.Count("SELECT count(*) FROM requests WHERE status = 'error'");
        var unrecorded = acknowledged.Count(r => !audit.IsFullyRecorded(r.RequestId!, r.Status!, r.ToolExecutions));
        Console.WriteLine($"   replies {outcome.StatusSummary}; {errorRows} error rows; {llm.RequestCount} LLM calls; health {health.Summary}");

        report.Add(new ResultRow("Failing LLM: runs answered with status error", errorReplies, "runs", acknowledged.Count, "runs answered",
            "all", errorReplies == acknowledged.Count && acknowledged.Count > 0, $"replies {outcome.StatusSummary}; {llm.RequestCount} LLM calls incl. retries"));
        report.Add(new ResultRow("Failing LLM: error runs in the audit trail", errorRows, "rows", errorReplies, "error replies",
            "all recorded", unrecorded == 0 && errorRows >= errorReplies, $"{unrecorded} acknowledged runs not fully recorded; runs cut off when the load stopped are recorded as error too"));
        report.Add(new ResultRow("Failing LLM: /health p99 during load", health.Latency.P99, "ms",
            Target: "answers", Met: health.Failures == 0 && health.Latency.Count > 0, Note: health.Summary));
    }
}
