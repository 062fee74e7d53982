using System.Text.RegularExpressions;
using Agent.Core.Configuration;
using Agent.Core.Tools;
using DotNet.Globbing;
using Microsoft.Extensions.Options;

namespace Agent.Core.Policy;

/// <summary>Collects every invalid <see cref="PolicyOptions"/> value, naming its key (<c>Policy:Rules:2:Effect</c>).</summary>
public sealed partial class PolicyOptionsValidator(IEnumerable<IAgentTool> tools) : IValidateOptions<PolicyOptions>
{
    private readonly string[] _toolNames = [.. tools.Select(t => t.Name)];

    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var failures = new OptionsFailures(PolicyOptions.SectionName);
        failures.Require(options.ApprovalTimeout is >= 1 and <= 604_800, nameof(options.ApprovalTimeout), "must be between 1 and 604800 seconds.");
        failures.Require(options.MaxGrantMinutes is >= 1 and <= 525_600, nameof(options.MaxGrantMinutes), "must be between 1 and 525600 minutes.");
        failures.Require(options.DefaultGrantMinutes >= 1 && options.DefaultGrantMinutes <= options.MaxGrantMinutes, nameof(options.DefaultGrantMinutes),
            "must be between 1 and Policy:MaxGrantMinutes.");
        ValidateRules(options.Rules, failures);
        return failures.Result;
    }

    /// <summary>Checks rules alone; also used for a proposed policy sent to the dry-run.</summary>
    public void ValidateRules(IReadOnlyList<PolicyRuleOptions> rules, OptionsFailures failures)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var key = $"Rules:{i}";
            if (rule is null)
            {
                failures.Require(false, key, "is empty.");
                continue;
            }
            var id = rule.Id?.Trim();
            failures.Require(id is not null && RuleId().IsMatch(id), $"{key}:Id",
                "is required: letters, digits, '.', '_' or '-', at most 64 characters.");
            failures.Require(id != PolicyDecision.DefaultRuleId,
                $"{key}:Id", $"'{id}' is reserved.");
            failures.Require(id is null || seen.Add(id), $"{key}:Id", $"'{id}' is used by an earlier rule; ids must be unique.");
            failures.Require(PolicyEffects.TryParse(rule.Effect, out _), $"{key}:Effect", $"is '{rule.Effect}'; use allow, ask or deny.");
            failures.Require(rule.Reason is null || rule.Reason.Length <= 500, $"{key}:Reason", "must be at most 500 characters.");
            ValidateTool(rule.Tool, $"{key}:Tool", failures);
            if (rule.When is { } when)
            {
                ValidatePatterns(when.Paths, $"{key}:When:Paths", failures, ValidPath, "is not a workspace-relative glob (no leading '/', '~', '\\' or '..').");
                ValidatePatterns(when.Hosts, $"{key}:When:Hosts", failures, ValidHost, "is not a host pattern (use 'example.com', '*.example.com' or '*', no scheme or port).");
                ValidatePatterns(when.Commands, $"{key}:When:Commands", failures, ValidCommand, "is not a command line starting with a bare executable name (e.g. 'git status').");
            }
        }
    }

    private void ValidateTool(string? tool, string key, OptionsFailures failures)
    {
        if (string.IsNullOrWhiteSpace(tool))
        {
            failures.Require(false, key, "is required: a tool name or glob such as 'write_*' or '*'.");
            return;
        }
        var glob = Glob.Parse(tool.Trim());
        // A typo would otherwise be a rule that silently never applies.
        failures.Require(_toolNames.Any(glob.IsMatch), key, $"'{tool}' matches no tool; known tools: {string.Join(", ", _toolNames)}.");
    }

    private static void ValidatePatterns(List<string>? patterns, string key, OptionsFailures failures, Func<string, bool> valid, string rule)
    {
        if (patterns is null)
        {
            return;
        }
        failures.Require(patterns.Count > 0, key, "is empty; remove it or list at least one pattern.");
        for (var i = 0; i < patterns.Count; i++)
        {
            failures.Require(patterns[i] is { } p && valid(p.Trim()), $"{key}:{i}", $"'{patterns[i]}' {rule}");
        }
    }

    private static bool ValidPath(string pattern)
    {
        if (pattern.Length == 0 || pattern.StartsWith('/') || pattern.StartsWith('~') || pattern.Contains('\\') || pattern.Split('/').Contains(".."))
        {
            return false;
        }
        try
        {
            Glob.Parse(pattern);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool ValidHost(string pattern)
    {
        var bare = PolicyRule.NormalizeHostPattern(pattern);
        bare = bare.StartsWith("*.", StringComparison.Ordinal) ? bare[2..] : bare;
        return bare == "*" || (bare.Length > 0 && Uri.CheckHostName(bare) != UriHostNameType.Unknown);
    }

    private static bool ValidCommand(string commandLine) =>
        PolicyArguments.Words(commandLine) is [var command, ..] && ToolsOptionsValidator.CommandName().IsMatch(command);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RuleId();
}
