using System.Text.Json.Nodes;
using Agent.Core.Policy;
using Agent.Core.Tools;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Policy;

/// <summary>The real built-in tools (from <see cref="ToolHarness"/>) and rules written the way an operator writes them.</summary>
internal sealed class PolicyTestKit : IDisposable
{
    private readonly ToolHarness _tools = new();

    public ToolRegistry Registry => _tools.Services.GetRequiredService<ToolRegistry>();

    public IEnumerable<IAgentTool> AllTools => Registry.All;

    public IAgentTool Tool(string name) => Registry.TryGet(name, out var tool) ? tool : throw new ArgumentException(name);

    public static PolicyRuleOptions Rule(string id, string tool, string effect,
        string[]? paths = null, string[]? hosts = null, string[]? commands = null, string? reason = null) =>
        new()
        {
            Id = id,
            Tool = tool,
            Effect = effect,
            Reason = reason,
            When = paths is null && hosts is null && commands is null
                ? null
                : new PolicyConditionOptions { Paths = paths?.ToList(), Hosts = hosts?.ToList(), Commands = commands?.ToList() },
        };

    public static EffectivePolicy Compile(ToolPermission blocked, params PolicyRuleOptions[] rules) => EffectivePolicy.Create(rules, blocked);

    public PolicyDecision Decide(EffectivePolicy policy, string tool, string json) => policy.Evaluate(Tool(tool), JsonNode.Parse(json));

    public void Dispose() => _tools.Dispose();
}
