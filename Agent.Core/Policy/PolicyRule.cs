using DotNet.Globbing;

namespace Agent.Core.Policy;

/// <summary>A validated rule, compiled for matching. Built only by <see cref="EffectivePolicy.Create"/>.</summary>
public sealed class PolicyRule
{
    private static readonly GlobOptions CaseSensitive = new() { Evaluation = { CaseInsensitive = false } };

    private readonly Glob _tool;
    private readonly (string Pattern, Glob Glob, string LiteralPrefix)[]? _paths;
    private readonly string[]? _hosts;
    private readonly string[][]? _commands;

    internal PolicyRule(PolicyRuleOptions options)
    {
        Id = options.Id!.Trim();
        Tool = options.Tool!.Trim();
        Effect = PolicyEffects.TryParse(options.Effect, out var effect) ? effect : throw new ArgumentException($"Unknown effect '{options.Effect}'.");
        Reason = string.IsNullOrWhiteSpace(options.Reason) ? null : options.Reason.Trim();
        _tool = Glob.Parse(Tool, CaseSensitive);
        var paths = options.When?.Paths?.Select(p => p.Trim()).ToArray();
        _hosts = options.When?.Hosts?.Select(NormalizeHostPattern).ToArray();
        var commands = options.When?.Commands?.Select(c => string.Join(' ', PolicyArguments.Words(c))).ToArray();
        _paths = paths?.Select(p => (p, Glob.Parse(p, CaseSensitive), LiteralPrefix(p))).ToArray();
        _commands = commands?.Select(PolicyArguments.Words).ToArray();
        (Paths, Hosts, Commands) = (paths, _hosts, commands);
    }

    public string Id { get; }
    public string Tool { get; }
    public PolicyEffect Effect { get; }
    public string? Reason { get; }
    public IReadOnlyList<string>? Paths { get; }
    public IReadOnlyList<string>? Hosts { get; }
    public IReadOnlyList<string>? Commands { get; }

    public bool Matches(PolicyCall call) =>
        _tool.IsMatch(call.ToolName)
        && (_paths is null || call.Path is { } path && _paths.Any(p => PathMatches(p, path, call.Recursive)))
        && (_hosts is null || call.Host is { } host && _hosts.Any(h => HostMatches(h, host)))
        && (_commands is null || call.CommandLine is { } line && _commands.Any(words => StartsWith(line, words)));

    internal static string NormalizeHostPattern(string pattern) => pattern.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary><c>*.example.com</c> matches any subdomain (not the apex), <c>*</c> any host, anything else exactly.</summary>
    internal static bool HostMatches(string pattern, string host) =>
        pattern == "*"
        || (pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.Ordinal)
            : string.Equals(pattern, host, StringComparison.Ordinal));

    private static bool StartsWith(IReadOnlyList<string> line, string[] words) =>
        line.Count >= words.Length && words.Select((w, i) => string.Equals(w, line[i], StringComparison.Ordinal)).All(same => same);

    /// <summary>
    /// A path matches its glob, and <c>dir/**</c> also matches <c>dir</c> itself. For a recursive tool, a deny or ask rule
    /// also matches when the directory searched contains paths the glob could match, so searching a parent directory
    /// cannot read what reading the file would not; an allow rule must cover the directory itself.
    /// </summary>
    private bool PathMatches((string Pattern, Glob Glob, string LiteralPrefix) rule, string path, bool recursive)
    {
        if (rule.Glob.IsMatch(path) || (rule.Pattern.EndsWith("/**", StringComparison.Ordinal) && path == rule.Pattern[..^3]))
        {
            return true;
        }
        if (!recursive || Effect == PolicyEffect.Allow)
        {
            return false;
        }
        // The searched directory holds the pattern's fixed prefix, or lies beneath it: it may reach a matching path.
        return path == "." || rule.LiteralPrefix.Length == 0
            || rule.LiteralPrefix.StartsWith(path + "/", StringComparison.Ordinal)
            || (path + "/").StartsWith(rule.LiteralPrefix + "/", StringComparison.Ordinal);
    }

    /// <summary>The directory segments before the first wildcard: <c>a/b/*.txt</c> → <c>a/b</c>, <c>*.md</c> → empty.</summary>
    private static string LiteralPrefix(string pattern)
    {
        var segments = pattern.Split('/');
        var literal = segments.Take(segments.Length - 1).TakeWhile(s => s.IndexOfAny(['*', '?', '[', '{']) < 0);
        return string.Join('/', literal);
    }
}
