using Agent.Core.Policy;
using Agent.Core.Tools;
using static Agent.Tests.Policy.PolicyTestKit;

namespace Agent.Tests.Policy;

public sealed class PolicyMatchingTests : IDisposable
{
    private readonly PolicyTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public void Evaluate_NoRules_AllowsByDefault()
    {
        var policy = Compile(ToolPermission.None);

        var decision = _kit.Decide(policy, "write_file", """{"path":"a.txt","content":"x"}""");

        Assert.Equal(("default", PolicyEffect.Allow, policy.Version), (decision.RuleId, decision.Effect, decision.Version));
    }

    [Theory]
    [InlineData("write_*", "write_file", true)]
    [InlineData("write_*", "read_file", false)]
    [InlineData("*", "list_dir", true)]
    [InlineData("*_file", "read_file", true)]
    [InlineData("READ_FILE", "read_file", false)]
    [InlineData("read_fil?", "read_file", true)]
    public void Evaluate_ToolGlob_MatchesToolNames(string glob, string tool, bool matches)
    {
        var policy = Compile(ToolPermission.None, Rule("r", glob, "deny"));

        var decision = _kit.Decide(policy, tool, """{"path":"a.txt","content":"x"}""");

        Assert.Equal(matches ? "r" : "default", decision.RuleId);
    }

    [Theory]
    [InlineData("secrets/a.txt", true)]
    [InlineData("secrets/deep/er/a.txt", true)]
    [InlineData("secrets", true)]
    [InlineData("./secrets/a.txt", true)]
    [InlineData("secrets//a.txt", true)]
    [InlineData("docs/../secrets/a.txt", true)]
    [InlineData("./docs/./../secrets/x", true)]
    [InlineData("secretsX/a.txt", false)]
    [InlineData("Secrets/a.txt", false)]
    [InlineData("docs/secrets/a.txt", false)]
    public void Evaluate_PathGlob_MatchesNormalisedPaths(string path, bool matches)
    {
        var policy = Compile(ToolPermission.None, Rule("no-secrets", "read_file", "deny", paths: ["secrets/**"]));

        var decision = _kit.Decide(policy, "read_file", $$"""{"path":"{{path}}"}""");

        Assert.Equal(matches ? ("no-secrets", PolicyEffect.Deny) : ("default", PolicyEffect.Allow), (decision.RuleId, decision.Effect));
    }

    [Theory]
    [InlineData("notes.md", true)]
    [InlineData("docs/notes.md", false)]
    [InlineData("notes.md.txt", false)]
    public void Evaluate_StarGlob_StaysWithinOneDirectory(string path, bool matches)
    {
        var policy = Compile(ToolPermission.None, Rule("md", "write_file", "ask", paths: ["*.md"]));

        Assert.Equal(matches ? "md" : "default", _kit.Decide(policy, "write_file", $$"""{"path":"{{path}}","content":""}""").RuleId);
    }

    [Fact]
    public void Evaluate_DoubleStarGlob_MatchesAtAnyDepth()
    {
        var policy = Compile(ToolPermission.None, Rule("md", "write_file", "ask", paths: ["**/*.md"]));

        Assert.Equal("md", _kit.Decide(policy, "write_file", """{"path":"a/b/c.md","content":""}""").RuleId);
        Assert.Equal("default", _kit.Decide(policy, "write_file", """{"path":"a/b/c.txt","content":""}""").RuleId);
    }

    [Fact]
    public void Evaluate_ListDirWithoutPath_MatchesTheWorkspaceRoot()
    {
        var policy = Compile(ToolPermission.None, Rule("root", "list_dir", "ask", paths: ["."]));

        Assert.Equal("root", _kit.Decide(policy, "list_dir", "{}").RuleId);
        Assert.Equal("default", _kit.Decide(policy, "list_dir", """{"path":"docs"}""").RuleId);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("docs/..")]
    public void Evaluate_SearchOverParentOfDeniedPath_IsDenied(string path)
    {
        // Searching the workspace would read secrets/ too: a deny on the files must cover the search.
        var policy = Compile(ToolPermission.None, Rule("no-secrets", "*", "deny", paths: ["secrets/**"]));

        var decision = _kit.Decide(policy, "search_files", $$"""{"query":"password","path":"{{path}}"}""");

        Assert.Equal("no-secrets", decision.RuleId);
    }

    [Fact]
    public void Evaluate_SearchBesideDeniedPath_IsNotDenied()
    {
        var policy = Compile(ToolPermission.None, Rule("no-secrets", "*", "deny", paths: ["secrets/**"]));

        Assert.Equal("default", _kit.Decide(policy, "search_files", """{"query":"x","path":"docs"}""").RuleId);
        Assert.Equal("no-secrets", _kit.Decide(policy, "search_files", """{"query":"x","path":"secrets/sub"}""").RuleId);
    }

    [Fact]
    public void Evaluate_AllowRuleOnSubdirectory_DoesNotAllowSearchingItsParent()
    {
        var policy = Compile(ToolPermission.None,
            Rule("docs-ok", "search_files", "allow", paths: ["docs/**"]),
            Rule("ask-rest", "search_files", "ask"));

        Assert.Equal("docs-ok", _kit.Decide(policy, "search_files", """{"query":"x","path":"docs"}""").RuleId);
        Assert.Equal("ask-rest", _kit.Decide(policy, "search_files", """{"query":"x","path":"."}""").RuleId);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.txt")]
    [InlineData("~/x")]
    [InlineData("a\\b")]
    [InlineData("%2e%2e/x")]
    public void Evaluate_PathTheToolsRefuse_MatchesNoPathCondition(string path)
    {
        var policy = Compile(ToolPermission.None, Rule("any", "read_file", "allow", paths: ["**"]), Rule("rest", "read_file", "ask"));

        Assert.Equal("rest", _kit.Decide(policy, "read_file", $$"""{"path":"{{path.Replace("\\", "\\\\")}}"}""").RuleId);
    }

    [Fact]
    public void Evaluate_PathOfWrongType_MatchesNoPathCondition()
    {
        var policy = Compile(ToolPermission.None, Rule("ok", "read_file", "allow", paths: ["**"]), Rule("rest", "read_file", "deny"));

        Assert.Equal("rest", _kit.Decide(policy, "read_file", """{"path":["a.txt"]}""").RuleId);
    }

    [Theory]
    [InlineData("https://example.com/x", "exact", true)]
    [InlineData("https://EXAMPLE.com./x", "exact", true)]
    [InlineData("https://api.example.com/x", "exact", false)]
    [InlineData("https://api.example.com/x", "sub", true)]
    [InlineData("https://a.b.example.com/x", "sub", true)]
    [InlineData("https://example.com/x", "sub", false)]
    [InlineData("https://example.com.evil.net/x", "exact", false)]
    [InlineData("https://example.com.evil.net/x", "sub", false)]
    [InlineData("https://evilexample.com/x", "sub", false)]
    [InlineData("https://example.com@evil.net/x", "exact", false)]
    [InlineData("ftp://example.com/x", "exact", false)]
    [InlineData("not a url", "exact", false)]
    public void Evaluate_HostPattern_MatchesTheUrlsHost(string url, string rule, bool matches)
    {
        var policy = Compile(ToolPermission.None,
            Rule("exact", "http_get", "allow", hosts: ["Example.com"]),
            Rule("sub", "http_get", "ask", hosts: ["*.example.com"]));

        var decision = _kit.Decide(policy, "http_get", $$"""{"url":"{{url}}"}""");

        Assert.Equal(matches, decision.RuleId == rule);
    }

    [Fact]
    public void Evaluate_InternationalHost_MatchesItsPunycode()
    {
        var policy = Compile(ToolPermission.None, Rule("idn", "http_get", "deny", hosts: ["xn--bcher-kva.example"]));

        Assert.Equal("idn", _kit.Decide(policy, "http_get", """{"url":"https://bücher.example/"}""").RuleId);
    }

    [Theory]
    [InlineData("git", "[\"status\"]", "git-status")]
    [InlineData("git", "[\"status\",\"--short\"]", "git-status")]
    [InlineData("git", "[\"push\",\"origin\"]", "git-any")]
    [InlineData("git", "[]", "git-any")]
    [InlineData("git", null, "git-any")]
    [InlineData("git", "[\"statusx\"]", "git-any")]
    [InlineData("gitk", "[\"status\"]", "default")]
    [InlineData("ls", "[\"-la\"]", "ls-la")]
    [InlineData("ls", "[\"-l\",\"-a\"]", "default")]
    public void Evaluate_CommandPrefix_MatchesWholeWords(string command, string? args, string expected)
    {
        var policy = Compile(ToolPermission.None,
            Rule("git-status", "run_command", "allow", commands: ["git status"]),
            Rule("git-any", "run_command", "ask", commands: ["git"]),
            Rule("ls-la", "run_command", "allow", commands: ["ls  -la"]));
        var json = args is null ? $$"""{"command":"{{command}}"}""" : $$"""{"command":"{{command}}","args":{{args}}}""";

        Assert.Equal(expected, _kit.Decide(policy, "run_command", json).RuleId);
    }

    [Fact]
    public void Evaluate_CommandArgumentsOfWrongType_MatchNoCommandCondition()
    {
        var policy = Compile(ToolPermission.None, Rule("git", "run_command", "allow", commands: ["git status"]), Rule("rest", "run_command", "deny"));

        Assert.Equal("rest", _kit.Decide(policy, "run_command", """{"command":"git","args":[1]}""").RuleId);
    }

    [Fact]
    public void Evaluate_SeveralMatchingRules_FirstMatchWins()
    {
        var policy = Compile(ToolPermission.None,
            Rule("first", "write_file", "ask", paths: ["out/**"], reason: "outputs need a look"),
            Rule("second", "write_*", "deny"),
            Rule("third", "*", "allow"));

        var decision = _kit.Decide(policy, "write_file", """{"path":"out/a.txt","content":""}""");

        Assert.Equal(("first", PolicyEffect.Ask, "outputs need a look"), (decision.RuleId, decision.Effect, decision.Reason));
        Assert.Equal("second", _kit.Decide(policy, "write_file", """{"path":"b.txt","content":""}""").RuleId);
        Assert.Equal("third", _kit.Decide(policy, "read_file", """{"path":"b.txt"}""").RuleId);
    }

    [Fact]
    public void Evaluate_AllConditionsOfARule_MustHold()
    {
        var policy = Compile(ToolPermission.None, Rule("both", "*", "deny", paths: ["a/**"], hosts: ["example.com"]));

        // No tool has both a path and a url, so the rule can never match.
        Assert.Equal("default", _kit.Decide(policy, "read_file", """{"path":"a/x"}""").RuleId);
        Assert.Equal("default", _kit.Decide(policy, "http_get", """{"url":"https://example.com"}""").RuleId);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("ask")]
    public void Evaluate_BlockedPermission_IsDeniedBeforeAnyRule(string effect)
    {
        // The fence is outside the rules: a blocked permission is never asked and never allowed by a rule.
        var policy = Compile(ToolPermission.Network | ToolPermission.Execute, Rule("web", "http_get", effect, hosts: ["*"]));

        var decision = _kit.Decide(policy, "http_get", """{"url":"https://example.com"}""");

        Assert.Equal(("permission:network", PolicyEffect.Deny), (decision.RuleId, decision.Effect));
        Assert.True(decision.IsFence);
        Assert.Equal("Tool 'http_get' requires blocked permission(s): network.", decision.Reason);
    }

    [Fact]
    public void Version_DependsOnRulesOrderAndFence_NotOnSpelling()
    {
        var a = Compile(ToolPermission.Network, Rule("a", "write_file", "ask"), Rule("b", "*", "allow"));
        var sameSpelledDifferently = Compile(ToolPermission.Network, Rule(" a ", "write_file", "ASK"), Rule("b", "*", "Allow"));
        var reordered = Compile(ToolPermission.Network, Rule("b", "*", "allow"), Rule("a", "write_file", "ask"));
        var otherFence = Compile(ToolPermission.Network | ToolPermission.Execute, Rule("a", "write_file", "ask"), Rule("b", "*", "allow"));

        Assert.Matches("^[0-9a-f]{16}$", a.Version);
        Assert.Equal(a.Version, sameSpelledDifferently.Version);
        Assert.NotEqual(a.Version, reordered.Version);
        Assert.NotEqual(a.Version, otherFence.Version);
        Assert.NotEqual(a.Version, Compile(ToolPermission.Network, Rule("a", "write_file", "deny"), Rule("b", "*", "allow")).Version);
    }
}
