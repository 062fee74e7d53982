using System.Text.Json.Nodes;
using Agent.Core.Tools;
using NJsonSchema;

namespace Agent.Tests.Infrastructure;

/// <summary>A read-only tool that waits until it is cancelled: keeps a run busy for cancel and live-view tests.</summary>
public sealed class BlockingTool : IAgentTool
{
    public const string ToolName = "wait_forever";

    private static readonly JsonSchema Schema = ToolSchemas.Parse("""{ "type": "object", "properties": {}, "additionalProperties": false }""");

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => ToolName;

    public string Description => "Waits until cancelled.";

    public JsonSchema InputSchema => Schema;

    public ToolPermission Permissions => ToolPermission.Read;

    public async Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }
}
