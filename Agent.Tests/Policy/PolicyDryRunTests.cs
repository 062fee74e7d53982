using Agent.Core.Policy;
using Agent.Core.Tools;
using static Agent.Tests.Policy.PolicyTestKit;

namespace Agent.Tests.Policy;

public sealed class PolicyDryRunTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly PolicyTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static string Recorded(string rule, string effect) => new ExecutionPolicy(rule, effect, "0000000000000000").ToJson();

    /// <summary>Six past calls whose fate under the proposed policy is worked out by hand in the test below.</summary>
    private static readonly PastExecution[] History =
    [
        new(1, "run-a", "write_file", """{"path":"a.txt","content":"x"}""", "success", Recorded("default", "allow"), At),
        new(2, "run-a", "write_file", """{"path":"out/b.txt","content":"x"}""", "success", null, At),
        new(3, "run-b", "read_file", """{"path":"./secrets/key"}""", "success", Recorded("default", "allow"), At),
        new(4, "run-b", "http_get", """{"url":"https://api.example.com"}""", "blocked", Recorded("permission:network", "deny"), At),
        new(5, "run-c", "no_such_tool", "{}", "unknown_tool", null, At),
        new(6, "run-c", "read_file", """{"path":"docs/x.md"}""", "success", Recorded("default", "allow"), At),
    ];

    [Fact]
    public void Evaluate_SeededHistory_CountsEachChangeUnderItsDecidingRule()
    {
        var current = Compile(ToolPermission.Network);
        var proposed = Compile(ToolPermission.Network,
            Rule("ask-writes", "write_file", "ask"),
            Rule("no-secrets", "*", "deny", paths: ["secrets/**"]),
            Rule("never-used", "run_command", "deny"));

        var report = new PolicyDryRun(_kit.Registry).Evaluate(current, proposed, History);

        Assert.Equal((5, 1, 3), (report.Examined, report.Skipped, report.Changed));
        Assert.Equal((current.Version, proposed.Version), (report.CurrentVersion, report.ProposedVersion));
        var rules = report.Rules.ToDictionary(r => r.RuleId);
        Assert.Equal(["ask-writes", "no-secrets", "never-used", "permission:network", "default"], report.Rules.Select(r => r.RuleId));

        Assert.Equal((2, 2), (rules["ask-writes"].Matched, rules["ask-writes"].Changed));
        Assert.Equal(new Dictionary<string, int> { ["allow->ask"] = 2 }, rules["ask-writes"].Transitions);
        Assert.Equal([1L, 2L], rules["ask-writes"].Examples.Select(e => e.ExecutionId));
        Assert.Equal(("run-a", "allow", "ask", "default"), (rules["ask-writes"].Examples[0].RequestId, rules["ask-writes"].Examples[0].From,
            rules["ask-writes"].Examples[0].To, rules["ask-writes"].Examples[0].FromRule));

        Assert.Equal((1, 1), (rules["no-secrets"].Matched, rules["no-secrets"].Changed));
        Assert.Equal(new Dictionary<string, int> { ["allow->deny"] = 1 }, rules["no-secrets"].Transitions);
        Assert.Equal("run-b", rules["no-secrets"].Examples.Single().RequestId);

        Assert.Equal((0, 0), (rules["never-used"].Matched, rules["never-used"].Changed));
        Assert.Equal((1, 0), (rules["permission:network"].Matched, rules["permission:network"].Changed));
        Assert.Equal((1, 0), (rules["default"].Matched, rules["default"].Changed));
    }

    [Fact]
    public void Evaluate_ProposingTheCurrentPolicy_ChangesNothing()
    {
        var current = Compile(ToolPermission.Network, Rule("ask-writes", "write_file", "ask"));
        var history = new[]
        {
            new PastExecution(1, "r", "write_file", """{"path":"a","content":""}""", "success", null, At),
            new PastExecution(2, "r", "list_dir", "{}", "success", null, At),
        };

        var report = new PolicyDryRun(_kit.Registry).Evaluate(current, current, history);

        Assert.Equal((2, 0), (report.Examined, report.Changed));
        Assert.All(report.Rules, r => Assert.Empty(r.Examples));
    }

    [Fact]
    public void Evaluate_ManyChanges_KeepsAFewExamplesButCountsAll()
    {
        var history = Enumerable.Range(1, 40)
            .Select(i => new PastExecution(i, $"run-{i}", "list_dir", "{}", "success", Recorded("default", "allow"), At));
        var proposed = Compile(ToolPermission.None, Rule("ask-list", "list_dir", "ask"));

        var rule = new PolicyDryRun(_kit.Registry).Evaluate(Compile(ToolPermission.None), proposed, history).Rules.Single(r => r.RuleId == "ask-list");

        Assert.Equal((40, 40, PolicyDryRun.ExamplesPerRule), (rule.Matched, rule.Changed, rule.Examples.Count));
    }
}
