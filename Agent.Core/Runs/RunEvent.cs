using System.Text.Json.Nodes;

namespace Agent.Core.Runs;

/// <summary>run_started, decision, tool_started, tool_completed, run_finished.</summary>
public static class RunEventTypes
{
    public const string RunStarted = "run_started";
    public const string Decision = "decision";
    public const string ToolStarted = "tool_started";
    public const string ToolCompleted = "tool_completed";
    public const string RunFinished = "run_finished";
}

/// <summary>One step of a run as it happens; <paramref name="Sequence"/> orders the events of one run from 1.</summary>
public sealed record RunEvent(string RunId, int Sequence, string Type, DateTimeOffset Timestamp, JsonObject Data);

/// <summary>Where the orchestrator publishes run events; the web layer forwards them to SignalR, SSE and the console.</summary>
public interface IRunEventSink
{
    void Publish(RunEvent runEvent);
}
