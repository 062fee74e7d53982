using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Web.Components.Shared;

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

    /// <summary>The status the console shows: the stored one, or "cancelled" / "not understood" where those hide behind it.</summary>
    public string DisplayStatus => ConsoleStatus.For(Status, Output, Error, _entries.OfType<ToolEntry>().Count());

    public void Apply(RunEvent runEvent)
    {
        if (runEvent.Sequence <= _lastSequence)
        {
            return;
        }
        _lastSequence = runEvent.Sequence;
        RunId ??= runEvent.RunId;
        var data = runEvent.Data;
        switch (runEvent.Type)
        {
            case RunEventTypes.RunStarted:
                StartedAt = runEvent.Timestamp;
                Input = Text(data, "input");
                break;
            case RunEventTypes.Decision:
                var latency = Number(data, "latency_ms") ?? 0;
                _entries.Add(new DecisionEntry(
                    (int)(Number(data, "step") ?? 0),
                    Text(data, "reasoning"),
                    (data["tools"] as JsonArray ?? []).Select(t => Text(t, "name") ?? "?").ToArray(),
                    latency,
                    Text(data, "model"),
                    Number(data, "input_tokens"),
                    Number(data, "output_tokens"),
                    runEvent.Timestamp.AddMilliseconds(-latency)));
                break;
            case RunEventTypes.ToolStarted:
                _entries.Add(new ToolEntry(Text(data, "call_id") ?? "", Text(data, "tool_name") ?? "?", data["input"]?.DeepClone(), runEvent.Timestamp));
                break;
            case RunEventTypes.ToolCompleted:
                var callId = Text(data, "call_id");
                var duration = Number(data, "duration_ms") ?? 0;
                var tool = _entries.OfType<ToolEntry>().LastOrDefault(t => t.CallId == callId && t.Status == RunStatus.Running)
                    ?? AddTool(callId ?? "", Text(data, "tool_name") ?? "?", runEvent.Timestamp.AddMilliseconds(-duration));
                tool.Complete(Text(data, "status") ?? "error", duration, data["output"]?.DeepClone(), Text(data, "error"), (bool?)data["truncated"] ?? false);
                break;
            case RunEventTypes.RunFinished:
                Status = Text(data, "status") ?? RunStatus.Error;
                Output = Text(data, "output");
                Error = Text(data, "error");
                DurationMs = Number(data, "duration_ms");
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
            tool.Complete(execution.Status, execution.DurationMs, output, execution.Error, Agent.Core.Tools.TruncatedOutput.From(output) is not null);
            steps.Add((started, tool));
        }
        // Stable order: by start time, a decision before the tools it selected when they start together.
        timeline._entries.AddRange(steps.OrderBy(s => s.At).ThenBy(s => s.Entry is DecisionEntry ? 0 : 1).Select(s => s.Entry));
        return timeline;
    }

    private ToolEntry AddTool(string callId, string toolName, DateTimeOffset startedAt)
    {
        var tool = new ToolEntry(callId, toolName, null, startedAt);
        _entries.Add(tool);
        return tool;
    }

    private static JsonNode? Node(JsonElement? json) => json is { } element ? JsonNode.Parse(element.GetRawText()) : null;

    /// <summary>Any JSON number, whatever CLR type the event's producer boxed it as.</summary>
    private static long? Number(JsonNode? node, string property) =>
        node?[property] is JsonValue value && long.TryParse(value.ToJsonString(), CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string? Text(JsonNode? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
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

/// <summary>A tool step: running until its completion event arrives.</summary>
public sealed record ToolEntry(string CallId, string ToolName, JsonNode? Input, DateTimeOffset StartedAt) : TimelineEntry(StartedAt)
{
    public string Status { get; private set; } = RunStatus.Running;
    public long? DurationMs { get; private set; }
    public JsonNode? Output { get; private set; }
    public string? Error { get; private set; }
    public bool Truncated { get; private set; }

    public override long? ElapsedMs => DurationMs;

    internal void Complete(string status, long durationMs, JsonNode? output, string? error, bool truncated) =>
        (Status, DurationMs, Output, Error, Truncated) = (status, durationMs, output, error, truncated);
}
