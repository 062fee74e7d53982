using System.Text.Json.Nodes;
using Agent.Core.Runs;

namespace Agent.Web.Components.Runs;

/// <summary>
/// The view model behind a live run: folds run events, in order, into decisions and tool steps.
/// Applying the same event twice (replay plus live) changes nothing.
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
                _entries.Add(new DecisionEntry(
                    (int)(Number(data, "step") ?? 0),
                    Text(data, "reasoning"),
                    (data["tools"] as JsonArray ?? []).Select(t => Text(t, "name") ?? "?").ToArray(),
                    Number(data, "latency_ms") ?? 0));
                break;
            case RunEventTypes.ToolStarted:
                _entries.Add(new ToolEntry(Text(data, "call_id") ?? "", Text(data, "tool_name") ?? "?", data["input"]?.DeepClone()));
                break;
            case RunEventTypes.ToolCompleted:
                var callId = Text(data, "call_id");
                var tool = _entries.OfType<ToolEntry>().LastOrDefault(t => t.CallId == callId && t.Status == RunStatus.Running)
                    ?? AddTool(callId ?? "", Text(data, "tool_name") ?? "?");
                tool.Complete(Text(data, "status") ?? "error", Number(data, "duration_ms") ?? 0, data["output"]?.DeepClone(), Text(data, "error"), (bool?)data["truncated"] ?? false);
                break;
            case RunEventTypes.RunFinished:
                Status = Text(data, "status") ?? RunStatus.Error;
                Output = Text(data, "output");
                Error = Text(data, "error");
                DurationMs = Number(data, "duration_ms");
                break;
        }
    }

    private ToolEntry AddTool(string callId, string toolName)
    {
        var tool = new ToolEntry(callId, toolName, null);
        _entries.Add(tool);
        return tool;
    }

    /// <summary>Any JSON number, whatever CLR type the event's producer boxed it as.</summary>
    private static long? Number(JsonNode? node, string property) =>
        node?[property] is JsonValue value && long.TryParse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string? Text(JsonNode? node, string property) =>
        node?[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

public abstract record TimelineEntry;

public sealed record DecisionEntry(int Step, string? Reasoning, IReadOnlyList<string> Tools, long LatencyMs) : TimelineEntry;

/// <summary>A tool step: running until its completion event arrives.</summary>
public sealed record ToolEntry(string CallId, string ToolName, JsonNode? Input) : TimelineEntry
{
    public string Status { get; private set; } = RunStatus.Running;
    public long? DurationMs { get; private set; }
    public JsonNode? Output { get; private set; }
    public string? Error { get; private set; }
    public bool Truncated { get; private set; }

    internal void Complete(string status, long durationMs, JsonNode? output, string? error, bool truncated) =>
        (Status, DurationMs, Output, Error, Truncated) = (status, durationMs, output, error, truncated);
}
