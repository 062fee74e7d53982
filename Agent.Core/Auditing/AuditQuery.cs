namespace Agent.Core.Auditing;

/// <summary>
/// A search over runs for the console grid, the audit API and exports. Every filter is optional and they combine with
/// AND. <see cref="From"/> is inclusive and <see cref="To"/> exclusive, both on <c>created_at</c>. <see cref="Text"/>
/// searches the input, output and error of the run and of its tool executions (full-text, word prefixes).
/// </summary>
public sealed record AuditQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public string? Status { get; init; }
    public string? ToolName { get; init; }
    public string? Source { get; init; }
    public string? Principal { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Text { get; init; }
    public AuditSortField SortBy { get; init; } = AuditSortField.CreatedAt;
    public bool Descending { get; init; } = true;
    /// <summary>1-based page number.</summary>
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;

    public int Offset => (Page - 1) * PageSize;

    /// <summary>Every problem with the query, empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Page < 1)
        {
            problems.Add("page: must be at least 1");
        }
        else if ((long)(Page - 1) * Math.Max(PageSize, 1) > int.MaxValue)
        {
            // The row offset is an int; a page past it would wrap around to an earlier page.
            problems.Add($"page: must be at most {(int.MaxValue / Math.Max(PageSize, 1)) + 1} for page_size {PageSize}");
        }
        if (PageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"page_size: must be between 1 and {MaxPageSize}");
        }
        if (From is { } from && To is { } to && from >= to)
        {
            problems.Add("from: must be earlier than to");
        }
        if (Text is { Length: > 500 })
        {
            problems.Add("q: must be at most 500 characters");
        }
        return problems;
    }
}

/// <summary>Columns a run list can be sorted by; ties are broken by chain order.</summary>
public enum AuditSortField
{
    CreatedAt,
    CompletedAt,
    DurationMs,
    Status,
    Source,
    Principal,
}

/// <summary>One page of results and the number of matches across all pages.</summary>
public sealed record AuditPage<T>(IReadOnlyList<T> Items, int TotalCount, int Page, int PageSize);
