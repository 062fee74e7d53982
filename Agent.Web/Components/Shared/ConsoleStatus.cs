using Agent.Core.Llm;
using Agent.Core.Runs;

namespace Agent.Web.Components.Shared;

/// <summary>
/// What the console calls a run's outcome. The API keeps the seed's three statuses; the console names two cases they
/// hide: a run the caller cancelled (stored as <c>error</c>) and an instruction the local planner could not map to any
/// tool (stored as <c>success</c>, with the planner's help text as output).
/// </summary>
public static class ConsoleStatus
{
    public const string Cancelled = "cancelled";
    public const string NotUnderstood = "not understood";

    public static string For(string status, string? output, string? error, int toolExecutions) => status switch
    {
        RunStatus.Error when error is not null && error.StartsWith("Run cancelled", StringComparison.Ordinal) => Cancelled,
        RunStatus.Success when toolExecutions == 0 && output == InstructionParser.Help => NotUnderstood,
        _ => status,
    };
}
