using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core;
using Agent.Core.Policy;
using Agent.Core.Runs;

namespace Agent.Tests.Runs;

/// <summary>
/// Known answers for the wire JSON of every run event type: the typed records write exactly the shape the JSON bags
/// wrote before them (field names, order, nulls, the <c>"O"</c> timestamp of <c>expires_at</c>), and read back to it.
/// </summary>
public sealed class RunEventWireTests
{
    private const string RunId = "5f0c6a52-2d1e-4c39-9f51-0a8b2c3d4e5f";
    private static readonly DateTimeOffset At = new(2026, 1, 15, 10, 30, 0, 123, TimeSpan.Zero);

    public static TheoryData<string, RunEventData, string> Kinds => new()
    {
        {
            "run_started", new RunStartedData("list the files", "api"),
            """{"input":"list the files","source":"api"}"""
        },
        {
            "run_started", new RunStartedData("list the files", "console") { Resumed = true },
            """{"input":"list the files","source":"console","resumed":true}"""
        },
        {
            "decision", new DecisionData(1, "Plan: list_dir.", [new SelectedToolCall("call_1", "list_dir", JsonNode.Parse("""{"path":"."}"""))],
                "local-planner", "tool_calls", null, null, 38),
            """{"step":1,"reasoning":"Plan: list_dir.","tools":[{"id":"call_1","name":"list_dir","arguments":{"path":"."}}],"model":"local-planner","finish_reason":"tool_calls","input_tokens":null,"output_tokens":null,"latency_ms":38}"""
        },
        {
            "decision", new DecisionData(2, "Done — ünïcode <b>", [], "gpt-x", "stop", 120, 7, 2),
            """{"step":2,"reasoning":"Done — ünïcode <b>","tools":[],"model":"gpt-x","finish_reason":"stop","input_tokens":120,"output_tokens":7,"latency_ms":2}"""
        },
        {
            "tool_started", new ToolStartedData("call_1", "list_dir", JsonNode.Parse("""{"path":"."}""")),
            """{"call_id":"call_1","tool_name":"list_dir","input":{"path":"."}}"""
        },
        {
            "tool_completed", new ToolCompletedData("call_1", "list_dir", "success", 32, JsonNode.Parse("""{"count":1}"""), null, false,
                new ExecutionPolicy("default", "allow", "f0d1c9081600fcfc")),
            """{"call_id":"call_1","tool_name":"list_dir","status":"success","duration_ms":32,"output":{"count":1},"error":null,"truncated":false,"policy":{"rule":"default","effect":"allow","version":"f0d1c9081600fcfc","reason":null,"approval":null,"grant":null}}"""
        },
        {
            "tool_completed", new ToolCompletedData(null, "nope", "unknown_tool", 0, null, "Unknown tool 'nope'", false, null),
            """{"call_id":null,"tool_name":"nope","status":"unknown_tool","duration_ms":0,"output":null,"error":"Unknown tool 'nope'","truncated":false,"policy":null}"""
        },
        {
            "approval_requested", new ApprovalRequestedData("ap-1", "call_2", "write_file", "ask-writes", "writes need a look",
                JsonNode.Parse("""{"path":"a.txt"}"""), new DateTimeOffset(2026, 1, 15, 10, 32, 0, TimeSpan.Zero)),
            """{"approval_id":"ap-1","call_id":"call_2","tool_name":"write_file","rule_id":"ask-writes","reason":"writes need a look","input":{"path":"a.txt"},"expires_at":"2026-01-15T10:32:00.0000000+00:00","run_status":"awaiting_approval"}"""
        },
        {
            "approval_decided", new ApprovalDecidedData("ap-1", "call_2", "write_file", "approved", "operator", "once", "ok"),
            """{"approval_id":"ap-1","call_id":"call_2","tool_name":"write_file","status":"approved","decided_by":"operator","scope":"once","comment":"ok","run_status":"running"}"""
        },
        {
            "run_finished", new RunFinishedData("success", "The workspace contains 1 entry: a.txt.", null, 206),
            """{"status":"success","output":"The workspace contains 1 entry: a.txt.","error":null,"duration_ms":206}"""
        },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Json_EachEventType_IsTheKnownWireShape(string type, RunEventData data, string expectedData)
    {
        var runEvent = new RunEvent(RunId, 4, At, data);

        var json = Encoding.UTF8.GetString(runEvent.Json.Span);

        Assert.Equal(type, runEvent.Type);
        Assert.Equal($$"""{"run_id":"{{RunId}}","sequence":4,"type":"{{type}}","timestamp":"2026-01-15T10:30:00.123Z","data":{{expectedData}}}""", json);
        Assert.Equal(Encoding.UTF8.GetByteCount(expectedData), runEvent.DataBytes);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Read_WireJson_GivesTheSameRecordAndTheSameBytes(string type, RunEventData data, string expectedData)
    {
        var written = new RunEvent(RunId, 4, At, data);

        var read = JsonSerializer.Deserialize<RunEvent>(written.Json.Span, JsonDefaults.Compact)!;

        Assert.Equal((RunId, 4, type, At), (read.RunId, read.Sequence, read.Type, read.Timestamp));
        Assert.IsType(data.GetType(), read.Data);
        Assert.Equal(expectedData, JsonSerializer.Serialize(read.Data, data.GetType(), JsonDefaults.Compact));
        Assert.Equal(Encoding.UTF8.GetString(written.Json.Span), Encoding.UTF8.GetString(read.Json.Span));
    }

    [Fact]
    public void Serialize_AsPartOfAnotherObject_WritesTheCachedBytesOnce()
    {
        var runEvent = new RunEvent(RunId, 1, At, new RunStartedData("hi", "api"));
        var first = runEvent.Json;

        var wrapped = JsonSerializer.Serialize(new { steps = new[] { runEvent, runEvent } }, JsonDefaults.Compact);

        var inner = Encoding.UTF8.GetString(first.Span);
        Assert.Equal($$"""{"steps":[{{inner}},{{inner}}]}""", wrapped);
        Assert.True(runEvent.Json.Span == first.Span, "the bytes are written once and kept");
    }

    [Fact]
    public void Read_UnknownType_IsRefused()
    {
        var json = $$$"""{"run_id":"{{{RunId}}}","sequence":1,"type":"run_exploded","timestamp":"2026-01-15T10:30:00.123Z","data":{}}""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RunEvent>(json, JsonDefaults.Compact));

        Assert.Contains("run_exploded", error.Message);
    }

    [Fact]
    public void Shorten_LongAndTreeFields_KeepsOnlyShortScalarsAndSaysWhatWasLeftOut()
    {
        var full = new DecisionData(3, new string('r', 300), [new SelectedToolCall("c", "read_file", null)], "m", "tool_calls", 5, null, 9);
        var runEvent = new RunEvent(RunId, 2, At, full);

        var shortened = runEvent.WithData(runEvent.Data.Shorten(runEvent.DataBytes));

        Assert.Equal($$"""{"step":3,"model":"m","finish_reason":"tool_calls","input_tokens":5,"latency_ms":9,"detail_omitted":true,"original_bytes":{{runEvent.DataBytes}}}""",
            JsonDocument.Parse(shortened.Json).RootElement.GetProperty("data").GetRawText());
        Assert.Equal((RunId, 2, "decision"), (shortened.RunId, shortened.Sequence, shortened.Type));
    }
}
