using System.Text.Json.Nodes;
using Agent.Core.Tools;
using Microsoft.SemanticKernel;

namespace Agent.Core.Llm;

/// <summary>
/// Describes the tools the model may use as Semantic Kernel functions: the enabled tools the permission policy allows,
/// under their plain names with their own JSON Schemas. The functions are descriptions only: the model's calls come
/// back to the orchestrator, which runs them through <see cref="ToolExecutor"/> (which still refuses anything else).
/// </summary>
public sealed class ToolFunctionCatalog(ToolRegistry registry, PermissionPolicy policy)
{
    public IReadOnlyList<KernelFunction> Functions { get; } = registry.Enabled
        .Where(tool => policy.Deny(tool) is null)
        .Select(Describe)
        .ToArray();

    /// <summary>The registered tool a call names, if any, so its schema can type the call's arguments.</summary>
    public IAgentTool? Find(string name) => registry.TryGet(name, out var tool) ? tool : null;

    private static KernelFunction Describe(IAgentTool tool)
    {
        // Each property keeps its own schema from the tool's document (types, bounds, descriptions), without the
        // per-fragment "$schema" marker NJsonSchema would add when a property is serialised on its own.
        var document = JsonNode.Parse(tool.InputSchema.ToJson()) as JsonObject ?? [];
        var properties = document["properties"] as JsonObject ?? [];
        var required = (document["required"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var parameters = properties.Select(p => new KernelParameterMetadata(p.Key)
        {
            Description = (p.Value?["description"] as JsonValue)?.GetValue<string>(),
            IsRequired = required.Contains(p.Key),
            Schema = KernelJsonSchema.Parse(p.Value?.ToJsonString() ?? "{}"),
        }).ToArray();

        return KernelFunctionFactory.CreateFromMethod(
            (Func<string>)(() => throw new InvalidOperationException("Tools run only through ToolExecutor.")),
            functionName: tool.Name,
            description: tool.Description,
            parameters: parameters);
    }
}
