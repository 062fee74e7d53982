namespace Agent.Core.Configuration;

/// <summary>
/// Section <c>RunLimits</c>: what one run may carry, so that no model turn can flood the tools, the audit or the
/// server's memory. Each refusal names its environment variable.
/// </summary>
public sealed class RunLimitsOptions
{
    public const string SectionName = "RunLimits";

    /// <summary>Tool calls executed from one model turn; the rest of that turn's calls are recorded as <c>blocked</c>.</summary>
    public int MaxToolCallsPerTurn { get; set; } = 8;

    /// <summary>Tool calls one run may attempt in all; later calls are <c>blocked</c>, and asking again ends the run.</summary>
    public int MaxToolCallsPerRun { get; set; } = 50;

    /// <summary>Bytes of JSON arguments one tool call may carry, checked before any schema validation.</summary>
    public int MaxToolArgumentBytes { get; set; } = 65_536;

    /// <summary>Bytes of tool output one run keeps in full; later outputs are kept as truncated previews.</summary>
    public long MaxRunOutputBytes { get; set; } = 1_048_576;

    /// <summary>Bytes of live event history the server keeps per run (status and replay); fuller detail stays in the audit.</summary>
    public long MaxEventHistoryBytes { get; set; } = 1_048_576;

    /// <summary>Bytes of event history and results kept in memory for all finished runs together; the oldest go first.</summary>
    public long MaxFinishedRunsBytes { get; set; } = 67_108_864;

    /// <summary>Finished runs kept in memory at most, whatever their size.</summary>
    public int MaxFinishedRuns { get; set; } = 1000;

    /// <summary>Minutes a finished run stays in memory for status and replay (the audit keeps it for good).</summary>
    public int FinishedRunMinutes { get; set; } = 30;
}
