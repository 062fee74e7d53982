using System.Globalization;
using Agent.Core.Auditing;
using Microsoft.AspNetCore.WebUtilities;

namespace Agent.Web.Components.Audit;

/// <summary>
/// The audit grid's filter, sort and page: turned into the audit store's query, into the page's query string (so a
/// view can be linked, reloaded and shared) and into the export link. Times are UTC; a preset range ("1h", "24h",
/// "7d") stays relative to now when the link is opened later.
/// </summary>
public sealed record AuditFilter
{
    public const int DefaultPageSize = 25;

    public static readonly IReadOnlyDictionary<string, (TimeSpan Span, string Label)> Presets = new Dictionary<string, (TimeSpan, string)>
    {
        ["1h"] = (TimeSpan.FromHours(1), "Last hour"),
        ["24h"] = (TimeSpan.FromHours(24), "Last 24 hours"),
        ["7d"] = (TimeSpan.FromDays(7), "Last 7 days"),
    };

    /// <summary>Grid column (property name) → the API's sort name, which is also what the URL carries.</summary>
    private static readonly Dictionary<string, string> SortNames = new()
    {
        [nameof(RunSummary.CreatedAt)] = "created_at",
        [nameof(RunSummary.DurationMs)] = "duration_ms",
        [nameof(RunSummary.Status)] = "status",
        [nameof(RunSummary.Source)] = "source",
        [nameof(RunSummary.Principal)] = "principal",
    };

    public string? Status { get; init; }
    public string? ToolName { get; init; }
    public string? Source { get; init; }
    public string? Text { get; init; }
    public string? Range { get; init; }
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Grid column property name; null is the default (newest first).</summary>
    public string? SortBy { get; init; }
    public bool Descending { get; init; } = true;

    public AuditQuery ToQuery(DateTimeOffset now)
    {
        var (from, to) = Window(now);
        return new AuditQuery
        {
            Status = Blank(Status),
            ToolName = Blank(ToolName),
            Source = Blank(Source),
            From = from,
            To = to,
            Text = Blank(Text),
            SortBy = SortBy switch
            {
                nameof(RunSummary.DurationMs) => AuditSortField.DurationMs,
                nameof(RunSummary.Status) => AuditSortField.Status,
                nameof(RunSummary.Source) => AuditSortField.Source,
                nameof(RunSummary.Principal) => AuditSortField.Principal,
                _ => AuditSortField.CreatedAt,
            },
            Descending = SortBy is null || Descending,
            Page = Page,
            PageSize = PageSize,
        };
    }

    /// <summary>The time window: a preset ending now, or the chosen from/to (UTC).</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Window(DateTimeOffset now) =>
        Range is { } range && Presets.TryGetValue(range, out var preset)
            ? (now - preset.Span, null)
            : (Utc(From), Utc(To));

    /// <summary>Only what differs from the defaults, in a fixed order: <c>?status=error&amp;tool_name=read_file&amp;page=2</c>.</summary>
    public string ToQueryString()
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parameters.Add(new(name, value));
            }
        }
        Add("status", Status);
        Add("tool_name", ToolName);
        Add("source", Source);
        Add("q", Text);
        Add("range", Range);
        if (Range is null)
        {
            Add("from", From?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
            Add("to", To?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        }
        if (SortBy is not null && SortNames.TryGetValue(SortBy, out var sort) && !(sort == "created_at" && Descending))
        {
            Add("sort", sort);
            Add("desc", Descending ? "true" : "false");
        }
        Add("page", Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null);
        Add("page_size", PageSize != DefaultPageSize ? PageSize.ToString(CultureInfo.InvariantCulture) : null);
        return QueryString.Create(parameters).ToString();
    }

    /// <summary>Reads a filter back from a query string; values it does not recognise are ignored rather than trusted.</summary>
    public static AuditFilter FromQueryString(string query)
    {
        var values = QueryHelpers.ParseQuery(query);
        string? Get(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString() : null;
        var sort = Get("sort") is { } s ? SortNames.FirstOrDefault(p => p.Value == s).Key : null;
        return new AuditFilter
        {
            Status = Get("status"),
            ToolName = Get("tool_name"),
            Source = Get("source"),
            Text = Get("q"),
            Range = Get("range") is { } r && Presets.ContainsKey(r) ? r : null,
            From = Time(Get("from")),
            To = Time(Get("to")),
            SortBy = sort,
            Descending = sort is null || Get("desc") != "false",
            Page = int.TryParse(Get("page"), CultureInfo.InvariantCulture, out var page) && page >= 1 ? page : 1,
            PageSize = int.TryParse(Get("page_size"), CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= AuditQuery.MaxPageSize ? size : DefaultPageSize,
        };
    }

    /// <summary>CSV export of everything the current filter matches (the console's cookie-authenticated route).</summary>
    public string ExportUrl(DateTimeOffset now, string format = "csv")
    {
        var query = ToQuery(now);
        var parameters = new List<KeyValuePair<string, string?>> { new("format", format) };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parameters.Add(new(name, value));
            }
        }
        Add("status", query.Status);
        Add("tool_name", query.ToolName);
        Add("source", query.Source);
        Add("from", query.From?.ToString("O", CultureInfo.InvariantCulture));
        Add("to", query.To?.ToString("O", CultureInfo.InvariantCulture));
        Add("q", query.Text);
        return "console/export" + QueryString.Create(parameters);
    }

    private static DateTime? Time(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? DateTime.SpecifyKind(time, DateTimeKind.Utc)
            : null;

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
