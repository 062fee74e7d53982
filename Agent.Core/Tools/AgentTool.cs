using System.Text.Json.Nodes;
using NJsonSchema;

namespace Agent.Core.Tools;

/// <summary>
/// A tool whose arguments are the record <typeparamref name="TInput"/>: the record's properties, types and
/// data annotations are the tool's JSON Schema (see <see cref="ToolInputSchema"/>), and the tool receives the
/// arguments as that record, validated and read by <see cref="ToolExecutor"/>.
/// </summary>
public abstract class AgentTool<TInput> : IAgentTool
    where TInput : class
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public abstract ToolPermission Permissions { get; }

    public JsonSchema InputSchema => ToolInputSchema.Of<TInput>();

    public Type InputType => typeof(TInput);

    Task<JsonNode?> IAgentTool.ExecuteAsync(object input, CancellationToken cancellationToken) =>
        ExecuteAsync((TInput)input, cancellationToken);

    public abstract Task<JsonNode?> ExecuteAsync(TInput input, CancellationToken cancellationToken);
}
