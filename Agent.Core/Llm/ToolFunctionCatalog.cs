using Agent.Core.Tools;
using Microsoft.SemanticKernel;

namespace Agent.Core.Llm;

/// <summary>
/// Describes the enabled tools to the model as Semantic Kernel functions. The functions are descriptions only:
/// the model's calls come back to the orchestrator, which runs them through <see cref="ToolExecutor"/>.
/// </summary>
public sealed class ToolFunctionCatalog(ToolRegistry registry)
{
    public IReadOnlyList<KernelFunction> Functions { get; } = registry.Enabled.Select(Describe).ToArray();

    private static KernelFunction Describe(IAgentTool tool)
    {
        var required = tool.InputSchema.RequiredProperties.ToHashSet(StringComparer.Ordinal);
        var parameters = tool.InputSchema.Properties.Select(p => new KernelParameterMetadata(p.Key)
        {
            Description = p.Value.Description,
            IsRequired = required.Contains(p.Key),
            Schema = KernelJsonSchema.Parse(p.Value.ToJson()),
        }).ToArray();

        return KernelFunctionFactory.CreateFromMethod(
            (Func<string>)(() => throw new InvalidOperationException("Tools run only through ToolExecutor.")),
            functionName: tool.Name,
            description: tool.Description,
            parameters: parameters);
    }
}
