using System.Text.Json.Nodes;
using NJsonSchema;

namespace Agent.Core.Tools;

/// <summary>
/// A predefined capability the agent may call. Only registered tools exist. A tool is written as an
/// <see cref="AgentTool{TInput}"/>: its input record is the one source of its JSON Schema and of the value it runs with.
/// </summary>
public interface IAgentTool
{
    /// <summary>snake_case name the model calls the tool by.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Schema generated from <see cref="InputType"/>; every input is validated against it before the tool runs.</summary>
    JsonSchema InputSchema { get; }

    /// <summary>The record the validated arguments are read into, once, by <see cref="ToolExecutor"/>.</summary>
    Type InputType { get; }

    ToolPermission Permissions { get; }

    /// <summary>Runs with an input of <see cref="InputType"/>, already validated; returns JSON for the model and the audit.</summary>
    Task<JsonNode?> ExecuteAsync(object input, CancellationToken cancellationToken);
}
