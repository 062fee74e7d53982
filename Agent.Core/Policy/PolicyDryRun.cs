using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Core.Tools;

namespace Agent.Core.Policy;

/// <summary>One past execution as the dry-run replays it.</summary>
public sealed record PastExecution(long Id, string RequestId, string ToolName, string? Input, string Status, string? Policy, DateTimeOffset CreatedAt);

/// <summary>What a proposed policy would have decided over past executions, per deciding rule.</summary>
public sealed record DryRunReport(
    string CurrentVersion,
    string ProposedVersion,
    int Examined,
    int Skipped,
    int Changed,
    IReadOnlyList<DryRunRuleReport> Rules);

/// <summary>Calls a rule of the proposed policy would decide, how many would change effect and how (<c>allow->ask</c>).</summary>
public sealed record DryRunRuleReport(
    string RuleId,
    string Effect,
    int Matched,
    int Changed,
    IReadOnlyDictionary<string, int> Transitions,
    IReadOnlyList<DryRunExample> Examples);

/// <summary>A call whose effect would change, linked to its run.</summary>
public sealed record DryRunExample(long ExecutionId, string RequestId, string ToolName, string From, string To, string? FromRule, JsonNode? Input);

/// <summary>
/// Replays a proposed policy over past executions without running anything. The effect a call had is the one recorded
/// with it; rows recorded before policies existed are judged by the current policy. Grants are not replayed: they
/// answer asks, they do not change which rule decides.
/// </summary>
public sealed class PolicyDryRun(ToolRegistry registry)
{
    public const int ExamplesPerRule = 5;

    public DryRunReport Evaluate(EffectivePolicy current, EffectivePolicy proposed, IEnumerable<PastExecution> history)
    {
        var reports = new Dictionary<string, RuleTally>(StringComparer.Ordinal);
        foreach (var rule in proposed.Rules)
        {
            reports[rule.Id] = new RuleTally(rule.Effect.ToWire());
        }
        int examined = 0, skipped = 0, changed = 0;
        foreach (var past in history)
        {
            // A tool that no longer exists (or never did: unknown_tool) has no rules to replay.
            if (!registry.TryGet(past.ToolName, out var tool))
            {
                skipped++;
                continue;
            }
            examined++;
            var input = ParseInput(past.Input);
            var before = ExecutionPolicy.Parse(past.Policy) is { } recorded
                ? (Effect: recorded.Effect, Rule: recorded.Rule)
                : current.Evaluate(tool, input) is var now ? (Effect: now.Effect.ToWire(), Rule: now.RuleId) : default;
            var after = proposed.Evaluate(tool, input);
            if (!reports.TryGetValue(after.RuleId, out var tally))
            {
                reports[after.RuleId] = tally = new RuleTally(after.Effect.ToWire());
            }
            tally.Matched++;
            var to = after.Effect.ToWire();
            if (before.Effect == to)
            {
                continue;
            }
            changed++;
            tally.Changed++;
            var transition = $"{before.Effect}->{to}";
            tally.Transitions[transition] = tally.Transitions.GetValueOrDefault(transition) + 1;
            if (tally.Examples.Count < ExamplesPerRule)
            {
                tally.Examples.Add(new DryRunExample(past.Id, past.RequestId, past.ToolName, before.Effect, to, before.Rule, input?.DeepClone()));
            }
        }
        var rules = reports.Select(r => new DryRunRuleReport(r.Key, r.Value.Effect, r.Value.Matched, r.Value.Changed, r.Value.Transitions, r.Value.Examples)).ToArray();
        return new DryRunReport(current.Version, proposed.Version, examined, skipped, changed, rules);
    }

    private static JsonNode? ParseInput(string? input)
    {
        if (input is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(input);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class RuleTally(string effect)
    {
        public string Effect { get; } = effect;
        public int Matched { get; set; }
        public int Changed { get; set; }
        public SortedDictionary<string, int> Transitions { get; } = new(StringComparer.Ordinal);
        public List<DryRunExample> Examples { get; } = [];
    }
}
