using System.Text.Json.Serialization;

namespace Agent.Core.Runs;

/// <summary>run_started, decision, tool_started, tool_completed, run_finished (approval events: <see cref="Policy.ApprovalEvents"/>).</summary>
public static class RunEventTypes
{
    public const string RunStarted = "run_started";
    public const string Decision = "decision";
    public const string ToolStarted = "tool_started";
    public const string ToolCompleted = "tool_completed";
    public const string RunFinished = "run_finished";
}

/// <summary>
/// One step of a run as it happens; <see cref="Sequence"/> orders the events of one run from 1. Its wire JSON
/// (<c>{"run_id","sequence","type","timestamp","data"}</c>) is written once, on first use, and the same bytes go to the
/// history, SSE, SignalR and the status endpoint.
/// </summary>
[JsonConverter(typeof(RunEventJsonConverter))]
public sealed class RunEvent(string runId, int sequence, DateTimeOffset timestamp, RunEventData data)
{
    private RunEventJson.Encoded? _encoded;

    public string RunId { get; } = runId;

    public int Sequence { get; } = sequence;

    public string Type => Data.Type;

    public DateTimeOffset Timestamp { get; } = timestamp;

    public RunEventData Data { get; } = data;

    /// <summary>The event as UTF-8 JSON on the wire.</summary>
    public ReadOnlyMemory<byte> Json => Encoded.Utf8;

    /// <summary>Bytes of the <c>data</c> object within <see cref="Json"/>.</summary>
    public int DataBytes => Encoded.DataBytes;

    /// <summary>The same event (run, sequence, time) carrying other data, e.g. its short form.</summary>
    public RunEvent WithData(RunEventData other) => new(RunId, Sequence, Timestamp, other);

    // Two threads may both write it the first time; either result is the same bytes, and one is kept.
    private RunEventJson.Encoded Encoded => _encoded ?? Interlocked.CompareExchange(ref _encoded, RunEventJson.Encode(this), null) ?? _encoded!;
}

/// <summary>Where the orchestrator publishes run events; the web layer forwards them to SignalR, SSE and the console.</summary>
public interface IRunEventSink
{
    void Publish(RunEvent runEvent);
}
