using System.Text.Json.Nodes;
using Agent.Core.Tools;
using NJsonSchema;

namespace Agent.Tests.Infrastructure;

/// <summary>Counts its executions; accepts <c>{"n": 0..10}</c>. Proves that refused calls never reach a tool.</summary>
public sealed class CountingTool(string name = "counting", ToolPermission permissions = ToolPermission.None) : IAgentTool
{
    private static readonly JsonSchema Schema = ToolSchemas.Parse("""
        { "type": "object", "properties": { "n": { "type": "integer", "minimum": 0, "maximum": 10 } },
          "required": ["n"], "additionalProperties": false }
        """);

    private int _executions;

    public int Executions => _executions;

    public string Name => name;

    public string Description => "Counts calls.";

    public JsonSchema InputSchema => Schema;

    public ToolPermission Permissions => permissions;

    public Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _executions);
        return Task.FromResult<JsonNode?>(new JsonObject { ["n"] = input["n"]!.GetValue<int>() });
    }
}

/// <summary>Blocks its thread, ignoring the cancellation token, until the test opens the gate.</summary>
public sealed class StubbornTool : IAgentTool, IDisposable
{
    private static readonly JsonSchema Schema = ToolSchemas.Parse("""{ "type": "object" }""");

    private readonly ManualResetEventSlim _gate = new();

    public string Name => "stubborn";

    public string Description => "Never finishes on its own.";

    public JsonSchema InputSchema => Schema;

    public ToolPermission Permissions => ToolPermission.None;

    public Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        _gate.Wait(TimeSpan.FromMinutes(1));
        return Task.FromResult<JsonNode?>(new JsonObject { ["finished"] = true });
    }

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}

/// <summary>Returns a string of the requested length made of characters that JSON must escape or that need two UTF-16 units.</summary>
public sealed class VerboseTool(int length) : IAgentTool
{
    private static readonly JsonSchema Schema = ToolSchemas.Parse("""{ "type": "object" }""");

    public string Name => "verbose";

    public string Description => "Talks too much.";

    public JsonSchema InputSchema => Schema;

    public ToolPermission Permissions => ToolPermission.None;

    public Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var text = string.Concat(Enumerable.Repeat("ab\"\\😀\n", length / 7 + 1))[..length];
        return Task.FromResult<JsonNode?>(new JsonObject { ["text"] = text });
    }
}
