using System.Text.Json.Nodes;
using NJsonSchema;

namespace Agent.Core.Tools;

/// <summary>A predefined capability the agent may call. Only registered tools exist.</summary>
public interface IAgentTool
{
    /// <summary>snake_case name the model calls the tool by.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Schema every input is validated against before <see cref="ExecuteAsync"/> runs.</summary>
    JsonSchema InputSchema { get; }

    ToolPermission Permissions { get; }

    /// <summary>Runs with input already validated; returns JSON for the model and the audit.</summary>
    Task<JsonNode?> ExecuteAsync(JsonObject input, CancellationToken cancellationToken);
}
