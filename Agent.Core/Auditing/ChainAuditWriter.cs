namespace Agent.Core.Auditing;

/// <summary>
/// Records a run as it happens on the <see cref="AuditChain"/>. A run's completion returns only once committed, and
/// commits everything the run wrote before it, so a run whose result was returned survives a crash. A decision that
/// selects tools is committed before they run, so what the agent was about to do is on disk before it acts. The other
/// rows return once written and are committed with the next commit (within <see cref="AuditChain.Linger"/>).
/// Writes ignore the run's cancellation: a cancelled run must still be recorded.
/// </summary>
public sealed class ChainAuditWriter(AuditChain chain) : IAuditWriter
{
    public Task StartRunAsync(RunRecord request) =>
        chain.WriteAsync(AuditTables.Request, request, AuditChain.Durability.Written);

    public async Task<long> RecordDecisionAsync(DecisionRecord decision)
    {
        await chain.WriteAsync(AuditTables.Decision, decision,
            SelectsTools(decision) ? AuditChain.Durability.Committed : AuditChain.Durability.Written);
        return decision.Id;
    }

    /// <summary>Whether the model chose tools this turn: they run once this row is recorded.</summary>
    private static bool SelectsTools(DecisionRecord decision) => decision.SelectedTools.AsSpan().Trim() is not "[]";

    public async Task<long> RecordExecutionAsync(ToolExecutionRecord execution)
    {
        await chain.WriteAsync(AuditTables.ToolExecution, execution, AuditChain.Durability.Written);
        return execution.Id;
    }

    public async Task CompleteRunAsync(string runId, string status, string? output, string? error, DateTimeOffset completedAt, long durationMs)
    {
        // A run that is not in the audit trail (its start was lost with a failed transaction) must not be reported as done.
        if (!await chain.CompleteAsync(new RunCompletion(runId, status, output, error, completedAt, durationMs)))
        {
            throw new InvalidOperationException($"Run {runId} is not recorded as running in the audit trail; its completion was not recorded.");
        }
    }
}
