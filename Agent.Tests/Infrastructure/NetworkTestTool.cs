using System.Text.Json.Nodes;
using Agent.Core.Tools;
using NJsonSchema;

namespace Agent.Tests.Infrastructure;

/// <summary>A tool that needs the <c>network</c> permission (blocked by default); counts how often it really ran.</summary>
public sealed class NetworkTestTool : IAgentTool
{
    private static readonly JsonSchema Schema = ToolSchemas.Parse("""
        { "type": "object", "properties": { "url": { "type": "string" } }, "required": ["url"], "additionalProperties": false }
        """);

    private int _executions;

    public string Name => "fetch_url";

    public string Description => "Fetch a URL (test tool).";

    public JsonSchema InputSchema => Schema;

    public ToolPermission Permissions => ToolPermission.Network;

    public int Executions => _executions;

    public Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _executions);
        return Task.FromResult<JsonNode?>(new JsonObject { ["body"] = "fetched" });
    }
}
