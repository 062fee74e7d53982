using Agent.Core.Policy;
using static Agent.Tests.Policy.PolicyTestKit;

namespace Agent.Tests.Policy;

public sealed class PolicyOptionsValidatorTests : IDisposable
{
    private readonly PolicyTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private string[] Failures(PolicyOptions options) =>
        new PolicyOptionsValidator(_kit.AllTools).Validate(null, options).Failures?.ToArray() ?? [];

    [Fact]
    public void Validate_DefaultsAndGoodRules_Succeed()
    {
        var options = new PolicyOptions
        {
            Rules =
            [
                Rule("no-secrets", "*", "deny", paths: ["secrets/**"], reason: "never"),
                Rule("web", "http_get", "ask", hosts: ["*.example.com", "example.com"]),
                Rule("git", "run_command", "allow", commands: ["git status"]),
            ],
        };

        Assert.Empty(Failures(options));
        Assert.Empty(Failures(new PolicyOptions()));
    }

    [Fact]
    public void Validate_EachBadValue_NamesItsKey()
    {
        var options = new PolicyOptions
        {
            ApprovalTimeout = 0,
            Rules =
            [
                Rule("ok", "write_file", "ask"),
                Rule("ok", "read_file", "maybe"),
                Rule("", "nosuch_tool", "deny"),
                Rule("default", "*", "allow", paths: ["/etc/**", "../x"], hosts: ["https://example.com"], commands: ["/bin/sh -c"]),
            ],
        };

        var failures = Failures(options);

        Assert.Contains(failures, f => f.StartsWith("Policy:ApprovalTimeout ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:1:Id ", StringComparison.Ordinal) && f.Contains("earlier rule"));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:1:Effect ", StringComparison.Ordinal) && f.Contains("allow, ask or deny"));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:2:Id ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:2:Tool ", StringComparison.Ordinal) && f.Contains("matches no tool"));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:3:Id ", StringComparison.Ordinal) && f.Contains("reserved"));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:3:When:Paths:0 ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:3:When:Paths:1 ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:3:When:Hosts:0 ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Policy:Rules:3:When:Commands:0 ", StringComparison.Ordinal));
        Assert.Equal(10, failures.Length);
    }

    [Fact]
    public void Validate_EmptyConditionList_IsRefused()
    {
        var rule = Rule("r", "http_get", "allow");
        rule.When = new PolicyConditionOptions { Hosts = [] };

        Assert.Contains(Failures(new PolicyOptions { Rules = [rule] }), f => f.StartsWith("Policy:Rules:0:When:Hosts ", StringComparison.Ordinal));
    }
}
