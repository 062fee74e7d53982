using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Runs;

namespace Agent.Tests.Infrastructure;

/// <summary>A typed run event read from its wire JSON, as a .NET client of SSE or SignalR would read it.</summary>
public static class WireRunEvent
{
    public static RunEvent Read(string runId, int sequence, string type, DateTimeOffset timestamp, JsonObject data)
    {
        var envelope = new JsonObject
        {
            ["run_id"] = runId,
            ["sequence"] = sequence,
            ["type"] = type,
            ["timestamp"] = timestamp.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture),
            ["data"] = data,
        };
        return JsonSerializer.Deserialize<RunEvent>(envelope.ToJsonString(), JsonDefaults.Compact)!;
    }
}
