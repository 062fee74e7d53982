using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Core.Tools;

namespace Agent.Core.Runs;

/// <summary>A call as its decision row recorded it.</summary>
internal sealed record RecordedCall(string Id, string Name, JsonNode? Arguments);

/// <summary>One recorded model turn: the decision, its calls, and the executions recorded for them, in call order.</summary>
internal sealed record RecordedTurn(DecisionRecord Decision, IReadOnlyList<RecordedCall> Calls, IReadOnlyList<ToolExecutionRecord> Executions);

/// <summary>
/// A paused run's turns read back from its audit rows and checked against its pending approval: every earlier turn
/// complete, the approval belonging to the last turn, its call the next one without an execution, its tool and arguments
/// the recorded ones. Anything else is a <see cref="RunResumeException"/> naming what does not fit.
/// </summary>
internal sealed record ResumePlan(IReadOnlyList<RecordedTurn> Turns, int PausedCallIndex)
{
    public RecordedTurn PausedTurn => Turns[^1];

    public RecordedCall PausedCall => PausedTurn.Calls[PausedCallIndex];

    public static ResumePlan Build(ResumedRun run)
    {
        var approval = run.Approval;
        // Claimed while pending at start-up, so any answer it has now was given after the restart and still applies.
        if (!ApprovalStatus.All.Contains(approval.Status))
        {
            throw new RunResumeException($"its approval request '{approval.Id}' is gone");
        }
        if (run.Decisions.Count == 0)
        {
            throw new RunResumeException("the audit holds no model turn for it");
        }
        var known = run.Decisions.Select(d => d.Id).ToHashSet();
        if (run.Executions.FirstOrDefault(e => e.DecisionId is not { } id || !known.Contains(id)) is { } stray)
        {
            throw new RunResumeException($"tool execution {stray.Id} belongs to no recorded model turn of the run");
        }
        var byDecision = run.Executions.GroupBy(e => e.DecisionId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var turns = run.Decisions.Select(d => Turn(d, byDecision.GetValueOrDefault(d.Id) ?? [])).ToList();

        foreach (var turn in turns.Take(turns.Count - 1))
        {
            if (turn.Calls.Count == 0 || turn.Executions.Count != turn.Calls.Count)
            {
                throw new RunResumeException(
                    $"model turn {turn.Decision.Step} has {turn.Calls.Count} call(s) but {turn.Executions.Count} recorded execution(s)");
            }
        }
        var last = turns[^1];
        if (approval.DecisionId != last.Decision.Id)
        {
            throw new RunResumeException($"its approval request '{approval.Id}' is not for the run's last model turn (step {last.Decision.Step})");
        }
        var index = last.Calls.ToList().FindIndex(c => c.Id == approval.CallId);
        if (index < 0)
        {
            throw new RunResumeException($"the call '{approval.CallId}' of approval request '{approval.Id}' is not in the recorded model turn");
        }
        if (last.Executions.Count != index)
        {
            throw new RunResumeException(
                $"the paused call is call {index + 1} of its turn, but the turn has {last.Executions.Count} recorded execution(s)");
        }
        var call = last.Calls[index];
        if (call.Name != approval.ToolName)
        {
            throw new RunResumeException($"the approval request names tool '{approval.ToolName}' but the recorded call is '{call.Name}'");
        }
        if (!JsonNode.DeepEquals(call.Arguments, Parse(approval.Input)))
        {
            throw new RunResumeException("the arguments in the approval request differ from the recorded call");
        }
        return new ResumePlan(turns, index);
    }

    /// <summary>The recorded result as the model first saw it (status, output, error), with the policy that decided.</summary>
    public static ToolExecutionResult Result(ToolExecutionRecord row)
    {
        var status = Enum.GetValues<ToolExecutionStatus>().FirstOrDefault(s => s.ToWire() == row.Status, ToolExecutionStatus.Error);
        var output = Parse(row.Output);
        var truncated = output is JsonObject o && o["truncated"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        return new ToolExecutionResult(row.ToolName, status, Parse(row.Input), output, row.Error, row.DurationMs, truncated)
        {
            Policy = ExecutionPolicy.Parse(row.Policy),
        };
    }

    private static RecordedTurn Turn(DecisionRecord decision, IReadOnlyList<ToolExecutionRecord> executions)
    {
        if (Parse(decision.SelectedTools) is not JsonArray selected)
        {
            throw new RunResumeException($"the tools chosen at model turn {decision.Step} are not readable");
        }
        var calls = selected.Select(s => s is JsonObject c && c["id"] is JsonValue id && c["name"] is JsonValue name
                ? new RecordedCall(id.ToString(), name.ToString(), c["arguments"]?.DeepClone())
                : throw new RunResumeException($"a call chosen at model turn {decision.Step} has no id or name"))
            .ToList();
        if (executions.Count > calls.Count)
        {
            throw new RunResumeException($"model turn {decision.Step} has more executions than calls");
        }
        for (var i = 0; i < executions.Count; i++)
        {
            if (executions[i].ToolName != calls[i].Name)
            {
                throw new RunResumeException($"execution {executions[i].Id} ran '{executions[i].ToolName}' where turn {decision.Step} called '{calls[i].Name}'");
            }
        }
        return new RecordedTurn(decision, calls, executions);
    }

    private static JsonNode? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
