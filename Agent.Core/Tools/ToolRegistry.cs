using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools;

/// <summary>The allowlist: the registered tools minus those the operator disabled. Nothing else can run.</summary>
public sealed class ToolRegistry
{
    private readonly Dictionary<string, IAgentTool> _enabled;

    public ToolRegistry(IEnumerable<IAgentTool> tools, IOptions<AgentOptions> options)
    {
        var disabled = options.Value.DisabledToolList.ToHashSet(StringComparer.Ordinal);
        All = tools.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        _enabled = All.Where(t => !disabled.Contains(t.Name)).ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Every registered tool, enabled or not, sorted by name (for the console's tools page).</summary>
    public IReadOnlyList<IAgentTool> All { get; }

    public IEnumerable<IAgentTool> Enabled => All.Where(t => _enabled.ContainsKey(t.Name));

    public bool IsEnabled(string name) => _enabled.ContainsKey(name);

    /// <summary>Exact, case-sensitive lookup so that <c>List_Dir</c> is not <c>list_dir</c>.</summary>
    public bool TryGet(string name, out IAgentTool tool) => _enabled.TryGetValue(name, out tool!);
}
