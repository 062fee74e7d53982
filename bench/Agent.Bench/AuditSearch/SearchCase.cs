namespace Agent.Bench.AuditSearch;

/// <summary>
/// One filtered first-page search: the query string the audit API takes (both the brief's names and the audit
/// branch's names, since unknown parameters are ignored) and the same filter as a WHERE clause over <c>requests r</c>.
/// </summary>
public sealed record SearchCase(string Name, IReadOnlyDictionary<string, string> Query, string Where, IReadOnlyDictionary<string, object> Parameters)
{
    public const int PageSize = 50;

    public string QueryString =>
        string.Join('&', Query.Append(new("page", "1")).Append(new("page_size", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>The cases measured: status, a rare tool (1 % of runs), a one-hour date range, and a rare word (0.1 %).</summary>
    public static IReadOnlyList<SearchCase> For(SeedPlan plan, bool hasFullText)
    {
        var from = plan.Start + (SeedPlan.Span / 2);
        var to = from.AddHours(1);
        return
        [
            new("status=error", new Dictionary<string, string> { ["status"] = "error" },
                "r.status = $status", new Dictionary<string, object> { ["$status"] = "error" }),
            new($"tool={SeedPlan.RareTool}", new Dictionary<string, string> { ["tool"] = SeedPlan.RareTool, ["tool_name"] = SeedPlan.RareTool },
                "r.id IN (SELECT e.request_id FROM tool_executions e WHERE e.tool_name = $tool)",
                new Dictionary<string, object> { ["$tool"] = SeedPlan.RareTool }),
            new("date range (1 h)", new Dictionary<string, string> { ["from"] = SeedPlan.Timestamp(from), ["to"] = SeedPlan.Timestamp(to) },
                "r.created_at >= $from AND r.created_at < $to",
                new Dictionary<string, object> { ["$from"] = SeedPlan.Timestamp(from), ["$to"] = SeedPlan.Timestamp(to) }),
            new($"text={SeedPlan.RareWord}", new Dictionary<string, string> { ["text"] = SeedPlan.RareWord, ["q"] = SeedPlan.RareWord },
                hasFullText
                    ? "r.seq IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH $text)"
                    : "(r.input LIKE '%' || $text || '%' OR r.output LIKE '%' || $text || '%' OR r.error LIKE '%' || $text || '%')",
                new Dictionary<string, object> { ["$text"] = SeedPlan.RareWord }),
        ];
    }
}
