using System.Globalization;
using Agent.Core.Auditing;
using MudBlazor;

namespace Agent.Web.Components.Audit;

/// <summary>The audit grid's filter state, turned into the audit store's query and into the export link.</summary>
public sealed class AuditFilter
{
    public string? Status { get; set; }
    public string? ToolName { get; set; }
    public string? Source { get; set; }
    public DateRange? Dates { get; set; }
    public string? Text { get; set; }

    /// <summary>The page the grid asks for, with the grid's sort mapped onto the store's sort fields.</summary>
    public AuditQuery ToQuery(int page, int pageSize, string? sortBy, bool descending) => new()
    {
        Status = Blank(Status),
        ToolName = Blank(ToolName),
        Source = Blank(Source),
        From = Dates?.Start is { } start ? new DateTimeOffset(DateTime.SpecifyKind(start.Date, DateTimeKind.Utc)) : null,
        // The end date is inclusive: the whole day counts.
        To = Dates?.End is { } end ? new DateTimeOffset(DateTime.SpecifyKind(end.Date.AddDays(1).AddTicks(-1), DateTimeKind.Utc)) : null,
        Text = Blank(Text),
        SortBy = sortBy switch
        {
            nameof(RunSummary.DurationMs) => AuditSortField.DurationMs,
            nameof(RunSummary.Status) => AuditSortField.Status,
            nameof(RunSummary.Source) => AuditSortField.Source,
            nameof(RunSummary.Principal) => AuditSortField.Principal,
            _ => AuditSortField.CreatedAt,
        },
        Descending = sortBy is null || descending,
        Page = page + 1,
        PageSize = pageSize,
    };

    /// <summary>CSV export of everything the current filter matches (the console's cookie-authenticated route).</summary>
    public string ExportUrl(string format = "csv")
    {
        var query = ToQuery(0, AuditQuery.DefaultPageSize, null, true);
        var parameters = new List<string> { "format=" + format };
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parameters.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("status", query.Status);
        Add("tool_name", query.ToolName);
        Add("source", query.Source);
        Add("from", query.From?.ToString("O", CultureInfo.InvariantCulture));
        Add("to", query.To?.ToString("O", CultureInfo.InvariantCulture));
        Add("q", query.Text);
        return "console/export?" + string.Join('&', parameters);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
