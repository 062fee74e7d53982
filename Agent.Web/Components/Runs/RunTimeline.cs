using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Auditing;
using Agent.Core.Policy;
using Agent.Core.Runs;
using Agent.Web.Components.Shared;
using Agent.Web.Runs;

namespace Agent.Web.Components.Runs;

/// <summary>
/// The view model behind a run's trace: folds run events, in order, into decisions and tool steps, or rebuilds the
/// same from the audit record. Applying the same event twice (replay plus live) changes nothing.
/// </summary>
public sealed class RunTimeline
{
    private readonly List<TimelineEntry> _entries = [];
    private int _lastSequence;

    public string? RunId { get; private set; }
    public string? Input { get; private set; }
    public string Status { get; private set; } = RunStatus.Running;
    public string? Output { get; private set; }
    public string? Error { get; private set; }
    public long? DurationMs { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public bool IsFinished => Status != RunStatus.Running;
    public IReadOnlyList<TimelineEntry> Entries => _entries;

    /// <summary>True while a call of this (unfinished) run waits for a person to approve or deny it.</summary>
    public bool IsAwaitingApproval => !IsFinished && _entries.OfType<ToolEntry>().Any(t => t.IsAwaitingApproval);

    /// <summary>
    /// The status the console shows: <c>awaiting_approval</c> while a call waits for a person, else the stored one, or
    /// "cancelled" / "not understood" where those hide behind it.
    /// </summary>
    public string DisplayStatus => IsAwaitingApproval ? TrackedRun.AwaitingApproval : ConsoleStatus.For(Status, Output, Error, _entries.OfType<ToolEntry>().Count());

    public void Apply(RunEvent runEvent)
    {
        if (runEvent.Sequence <= _lastSequence)
        {
            return;
        }
        _lastSequence = runEvent.Sequence;
        RunId ??= runEvent.RunId;
        var at = runEvent.Timestamp;
        switch (runEvent.Data)
        {
            case RunStartedData started:
                StartedAt = at;
                Input = started.Input;
                break;
            case DecisionData decision:
                _entries.Add(new DecisionEntry(decision.Step, decision.Reasoning, [.. (decision.Tools ?? []).Select(t => t.Name ?? "?")],
                    decision.LatencyMs, decision.Model, decision.InputTokens, decision.OutputTokens, at.AddMilliseconds(-decision.LatencyMs)));
                break;
            case ToolStartedData started:
                _entries.Add(new ToolEntry(started.CallId ?? "", started.ToolName ?? "?", started.Input?.DeepClone(), at));
                break;
            case ToolCompletedData completed:
                var tool = _entries.OfType<ToolEntry>().LastOrDefault(t => t.CallId == completed.CallId && t.IsUnfinished)
                    ?? AddTool(completed.CallId ?? "", completed.ToolName ?? "?", at.AddMilliseconds(-completed.DurationMs));
                tool.Complete(completed.Status, completed.DurationMs, completed.Output?.DeepClone(), completed.Error, completed.Truncated, completed.Policy);
                break;
            case ApprovalRequestedData requested:
                ToolFor(requested.CallId, requested.ToolName, requested.Input, at)
                    .AwaitApproval(new TimelineApproval(requested.ApprovalId, requested.RuleId ?? "?", requested.Reason, requested.ExpiresAt));
                break;
            case ApprovalDecidedData decided:
                ToolFor(decided.CallId, decided.ToolName, null, at).Decide(decided.Status, decided.DecidedBy, at, decided.Scope, decided.Comment);
                break;
            case RunFinishedData finished:
                Status = finished.Status;
                Output = finished.Output;
                Error = finished.Error;
                DurationMs = finished.DurationMs;
                break;
        }
    }

    /// <summary>The same trace from what the audit store recorded (rows are written when each step ends).</summary>
    public static RunTimeline FromRecord(RunDetail run)
    {
        var timeline = new RunTimeline
        {
            RunId = run.Id,
            Input = run.Input,
            Status = run.Status,
            Output = run.Output,
            Error = run.Error,
            DurationMs = run.DurationMs,
            StartedAt = run.CreatedAt,
        };
        var steps = new List<(DateTimeOffset At, TimelineEntry Entry)>();
        foreach (var decision in run.Decisions)
        {
            var tools = decision.SelectedTools is { ValueKind: JsonValueKind.Array } selected
                ? selected.EnumerateArray().Select(t => t.TryGetProperty("name", out var name) ? name.ToString() : "?").ToArray()
                : [];
            var started = decision.CreatedAt.AddMilliseconds(-decision.LatencyMs);
            steps.Add((started, new DecisionEntry(decision.Step, decision.Reasoning, tools, decision.LatencyMs, decision.Model, decision.InputTokens, decision.OutputTokens, started)));
        }
        foreach (var execution in run.ToolExecutions)
        {
            var started = execution.CreatedAt.AddMilliseconds(-execution.DurationMs);
            var tool = new ToolEntry(execution.Id.ToString(CultureInfo.InvariantCulture), execution.ToolName, Node(execution.Input), started);
            var output = Node(execution.Output);
            tool.Complete(execution.Status, execution.DurationMs, output, execution.Error, Agent.Core.Tools.TruncatedOutput.From(output) is not null,
                execution.Policy is { } policy ? ExecutionPolicy.Parse(policy.GetRawText()) : null);
            steps.Add((started, tool));
        }
        // Stable order: by start time, a decision before the tools it selected when they start together.
        timeline._entries.AddRange(steps.OrderBy(s => s.At).ThenBy(s => s.Entry is DecisionEntry ? 0 : 1).Select(s => s.Entry));
        return timeline;
    }

    /// <summary>
    /// Calls still waiting for a person in a run that is not followed live here (its step has no audit row yet): each
    /// is shown as a waiting step, so the run page can still answer it.
    /// </summary>
    public void AddWaiting(IEnumerable<ApprovalRecord> pending)
    {
        foreach (var approval in pending.Where(a => a.Status == ApprovalStatus.Pending && a.RequestId == RunId))
        {
            var tool = new ToolEntry(approval.CallId ?? approval.Id, approval.ToolName, Parse(approval.Input), approval.CreatedAt);
            tool.AwaitApproval(new TimelineApproval(approval.Id, approval.RuleId, approval.Reason, approval.ExpiresAt));
            _entries.Add(tool);
        }
    }

    private ToolEntry AddTool(string callId, string toolName, DateTimeOffset startedAt)
    {
        var tool = new ToolEntry(callId, toolName, null, startedAt);
        _entries.Add(tool);
        return tool;
    }

    /// <summary>The unfinished step of this call, or a new one when its start was not seen.</summary>
    private ToolEntry ToolFor(string? callId, string? toolName, JsonNode? input, DateTimeOffset at)
    {
        if (_entries.OfType<ToolEntry>().LastOrDefault(t => t.CallId == callId && t.IsUnfinished) is { } found)
        {
            return found;
        }
        var tool = new ToolEntry(callId ?? "", toolName ?? "?", input?.DeepClone(), at);
        _entries.Add(tool);
        return tool;
    }

    private static JsonNode? Parse(string? json)
    {
        try
        {
            return json is { Length: > 0 } ? JsonNode.Parse(json) : null;
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    private static JsonNode? Node(JsonElement? json) => json is { } element ? JsonNode.Parse(element.GetRawText()) : null;
}

public abstract record TimelineEntry(DateTimeOffset StartedAt)
{
    /// <summary>Null while the step is still going.</summary>
    public abstract long? ElapsedMs { get; }
}

public sealed record DecisionEntry(
    int Step, string? Reasoning, IReadOnlyList<string> Tools, long LatencyMs, string? Model, long? InputTokens, long? OutputTokens, DateTimeOffset StartedAt)
    : TimelineEntry(StartedAt)
{
    public override long? ElapsedMs => LatencyMs;
}

/// <summary>
/// A tool step: running until its completion event arrives, or <c>awaiting_approval</c> while a policy rule holds it for
/// a person (then running again once approved; a denied call completes <c>blocked</c>).
/// </summary>
public sealed record ToolEntry(string CallId, string ToolName, JsonNode? Input, DateTimeOffset StartedAt) : TimelineEntry(StartedAt)
{
    public string Status { get; private set; } = RunStatus.Running;
    public long? DurationMs { get; private set; }
    public JsonNode? Output { get; private set; }
    public string? Error { get; private set; }
    public bool Truncated { get; private set; }

    /// <summary>Why the call ran or did not (rule, effect, policy version, approval, grant), once it completed.</summary>
    public ExecutionPolicy? Policy { get; private set; }

    /// <summary>The request a person was asked to answer for this call, as far as it is known.</summary>
    public TimelineApproval? Approval { get; private set; }

    public bool IsAwaitingApproval => Status == TrackedRun.AwaitingApproval;

    public bool IsUnfinished => Status == RunStatus.Running || IsAwaitingApproval;

    public override long? ElapsedMs => DurationMs;

    internal void Complete(string status, long durationMs, JsonNode? output, string? error, bool truncated, ExecutionPolicy? policy = null) =>
        (Status, DurationMs, Output, Error, Truncated, Policy) = (status, durationMs, output, error, truncated, policy);

    internal void AwaitApproval(TimelineApproval approval)
    {
        Approval = approval;
        Status = TrackedRun.AwaitingApproval;
    }

    /// <summary>Answered: the call runs (approved) or is about to complete blocked (denied, expired).</summary>
    internal void Decide(string status, string? decidedBy, DateTimeOffset decidedAt, string? scope, string? comment)
    {
        Approval = (Approval ?? new TimelineApproval("", "?", null, null)) with
        {
            Status = status,
            DecidedBy = decidedBy,
            DecidedAt = decidedAt,
            Scope = scope,
            Comment = comment,
        };
        if (IsAwaitingApproval)
        {
            Status = RunStatus.Running;
        }
    }
}

/// <summary>An approval request as the trace shows it: the rule that asked, and the answer once given.</summary>
public sealed record TimelineApproval(string Id, string RuleId, string? Reason, DateTimeOffset? ExpiresAt)
{
    public string Status { get; init; } = ApprovalStatus.Pending;
    public string? DecidedBy { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? Scope { get; init; }
    public string? Comment { get; init; }
}
