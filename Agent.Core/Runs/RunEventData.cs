using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Agent.Core.Policy;

namespace Agent.Core.Runs;

/// <summary>
/// The payload of a run event; one record per event type (<see cref="Type"/>, the envelope's <c>type</c>). Kept in
/// short form (<see cref="Shorten"/>) an event has only its short scalar fields, <c>detail_omitted</c> and
/// <c>original_bytes</c>, and leaves out every field it has no value for.
/// </summary>
public abstract record RunEventData([property: JsonIgnore] string Type)
{
    /// <summary>Strings longer than this are left out of an event kept in short form.</summary>
    public const int ShortFieldChars = 200;

    /// <summary>True on an event whose detail was left out of a run's history (see <c>RUN_EVENT_HISTORY_BYTES</c>).</summary>
    [JsonPropertyOrder(100), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DetailOmitted { get; init; }

    /// <summary>How many bytes the full <c>data</c> took, on an event kept in short form.</summary>
    [JsonPropertyOrder(101), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OriginalBytes { get; init; }

    /// <summary>This payload with its short scalar fields only (ids, names, statuses, timings).</summary>
    public RunEventData Shorten(long originalBytes) => ShortFields() with { DetailOmitted = true, OriginalBytes = originalBytes };

    /// <summary>This payload without its JSON trees and long strings.</summary>
    protected abstract RunEventData ShortFields();

    protected static string? Short(string? text) => text is { Length: > ShortFieldChars } ? null : text;
}

/// <summary><c>run_started</c>: the instruction and where it came from; <c>resumed</c> only on a run continued after a restart.</summary>
public sealed record RunStartedData(string? Input, string Source) : RunEventData(RunEventTypes.RunStarted)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Resumed { get; init; }

    protected override RunEventData ShortFields() => this with { Input = Short(Input) };
}

/// <summary>A call the model selected in a turn, with its arguments as recorded.</summary>
public sealed record SelectedToolCall(string? Id, string? Name, JsonNode? Arguments);

/// <summary><c>decision</c>: one model turn, the calls it selected, the model that answered and what it cost.</summary>
public sealed record DecisionData(
    int Step,
    string? Reasoning,
    IReadOnlyList<SelectedToolCall>? Tools,
    string? Model,
    string? FinishReason,
    int? InputTokens,
    int? OutputTokens,
    long LatencyMs) : RunEventData(RunEventTypes.Decision)
{
    protected override RunEventData ShortFields() =>
        this with { Reasoning = Short(Reasoning), Tools = null, Model = Short(Model), FinishReason = Short(FinishReason) };
}

/// <summary><c>tool_started</c>: a call about to pass the executor's checks, with its recorded arguments.</summary>
public sealed record ToolStartedData(string? CallId, string? ToolName, JsonNode? Input) : RunEventData(RunEventTypes.ToolStarted)
{
    protected override RunEventData ShortFields() => this with { CallId = Short(CallId), ToolName = Short(ToolName), Input = null };
}

/// <summary><c>tool_completed</c>: how a call ended, its output, and why it was allowed to run or not.</summary>
public sealed record ToolCompletedData(
    string? CallId,
    string? ToolName,
    string Status,
    long DurationMs,
    JsonNode? Output,
    string? Error,
    bool Truncated,
    ExecutionPolicy? Policy) : RunEventData(RunEventTypes.ToolCompleted)
{
    protected override RunEventData ShortFields() =>
        this with { CallId = Short(CallId), ToolName = Short(ToolName), Output = null, Error = Short(Error), Policy = null };
}

/// <summary><c>approval_requested</c>: a call held by an <c>ask</c> rule until a person answers; the run is then <c>awaiting_approval</c>.</summary>
public sealed record ApprovalRequestedData(
    string ApprovalId,
    string? CallId,
    string? ToolName,
    string? RuleId,
    string? Reason,
    JsonNode? Input,
    [property: JsonConverter(typeof(RoundTripTimestampConverter))] DateTimeOffset ExpiresAt) : RunEventData(ApprovalEvents.Requested)
{
    /// <summary>The run's status after this event.</summary>
    [JsonPropertyName("run_status")]
    public string RunStatusAfter => ApprovalEvents.AwaitingApproval;

    protected override RunEventData ShortFields() =>
        this with { CallId = Short(CallId), ToolName = Short(ToolName), RuleId = Short(RuleId), Reason = Short(Reason), Input = null };
}

/// <summary><c>approval_decided</c>: the answer (approved, denied or expired), who gave it, and its scope; the run goes on.</summary>
public sealed record ApprovalDecidedData(
    string ApprovalId,
    string? CallId,
    string? ToolName,
    string Status,
    string? DecidedBy,
    string? Scope,
    string? Comment) : RunEventData(ApprovalEvents.Decided)
{
    /// <summary>The run's status after this event.</summary>
    [JsonPropertyName("run_status")]
    public string RunStatusAfter => RunStatus.Running;

    protected override RunEventData ShortFields() =>
        this with { CallId = Short(CallId), ToolName = Short(ToolName), DecidedBy = Short(DecidedBy), Comment = Short(Comment) };
}

/// <summary><c>run_finished</c>: the run's status, answer or error, and duration; always the last event of a run.</summary>
public sealed record RunFinishedData(string Status, string? Output, string? Error, long DurationMs) : RunEventData(RunEventTypes.RunFinished)
{
    protected override RunEventData ShortFields() => this with { Output = Short(Output), Error = Short(Error) };
}
