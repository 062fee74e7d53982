using System.Text.Json.Nodes;
using Agent.Core.Tools;

namespace Agent.Tests.Infrastructure;

/// <summary>A tool that needs the <c>network</c> permission (blocked by default); counts how often it really ran.</summary>
public sealed class NetworkTestTool : AgentTool<NetworkTestInput>
{
    private int _executions;

    public override string Name => "fetch_url";

    public override string Description => "Fetch a URL (test tool).";

    public override ToolPermission Permissions => ToolPermission.Network;

    public int Executions => _executions;

    public override Task<JsonNode?> ExecuteAsync(NetworkTestInput input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _executions);
        return Task.FromResult<JsonNode?>(new JsonObject { ["body"] = "fetched" });
    }
}

/// <summary>The URL the network test tool pretends to fetch.</summary>
public sealed record NetworkTestInput
{
    public required string Url { get; init; }
}
