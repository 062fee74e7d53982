using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Tools;

namespace Agent.Core.Policy;

/// <summary>
/// The rules in force, behind the <c>BLOCKED_PERMISSIONS</c> fence: a call needing a blocked permission is denied
/// before any rule is read (never asked); otherwise the first matching rule decides, and with none the call is allowed
/// exactly as without a policy. <see cref="Version"/> is a hash of the canonical form, recorded with every decision.
/// </summary>
public sealed class EffectivePolicy
{
    private EffectivePolicy(IReadOnlyList<PolicyRule> rules, ToolPermission blocked)
    {
        Rules = rules;
        Blocked = blocked;
        CanonicalForm = Canonical(rules, blocked);
        Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm)))[..16];
    }

    public IReadOnlyList<PolicyRule> Rules { get; }
    public ToolPermission Blocked { get; }

    /// <summary>First 16 hex digits of the SHA-256 of <see cref="CanonicalForm"/>.</summary>
    public string Version { get; }

    /// <summary>Compact JSON with fixed key order and normalised values: equal policies give equal text.</summary>
    public string CanonicalForm { get; }

    /// <summary>Compiles rules that passed <see cref="PolicyOptionsValidator"/>.</summary>
    public static EffectivePolicy Create(IEnumerable<PolicyRuleOptions> rules, ToolPermission blocked) =>
        new(rules.Select(r => new PolicyRule(r)).ToArray(), blocked);

    public PolicyDecision Evaluate(IAgentTool tool, JsonNode? input) => Evaluate(PolicyCall.From(tool, input));

    public PolicyDecision Evaluate(PolicyCall call)
    {
        var fenced = call.Permissions & Blocked;
        if (fenced != ToolPermission.None)
        {
            var names = ToolPermissions.Names(fenced);
            return new PolicyDecision(PolicyDecision.PermissionRulePrefix + names[0], PolicyEffect.Deny, Version,
                $"Tool '{call.ToolName}' requires blocked permission(s): {string.Join(", ", names)}.");
        }
        foreach (var rule in Rules)
        {
            if (rule.Matches(call))
            {
                return new PolicyDecision(rule.Id, rule.Effect, Version, rule.Reason);
            }
        }
        return new PolicyDecision(PolicyDecision.DefaultRuleId, PolicyEffect.Allow, Version, null);
    }

    private static string Canonical(IReadOnlyList<PolicyRule> rules, ToolPermission blocked)
    {
        static JsonArray? List(IReadOnlyList<string>? values) => values is null ? null : new JsonArray([.. values.Select(v => (JsonNode?)v)]);
        var form = new JsonObject
        {
            ["blocked_permissions"] = List(ToolPermissions.Names(blocked)),
            ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode?)new JsonObject
            {
                ["effect"] = r.Effect.ToWire(),
                ["id"] = r.Id,
                ["reason"] = r.Reason,
                ["tool"] = r.Tool,
                ["when"] = new JsonObject
                {
                    ["commands"] = List(r.Commands),
                    ["hosts"] = List(r.Hosts),
                    ["paths"] = List(r.Paths),
                },
            })]),
        };
        return form.ToJsonString();
    }
}
