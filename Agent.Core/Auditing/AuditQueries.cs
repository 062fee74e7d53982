using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Auditing;

/// <summary>Read side of the audit store for the API and the console: search, one run in full, and exports.</summary>
public sealed class AuditQueries(IDbContextFactory<AuditDbContext> contexts) : IAuditSearch
{
    private const int ExportBatchSize = 200;

    public async Task<IReadOnlyList<RunSummary>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking()
            .OrderByDescending(r => r.CreatedAt)
            .Take(count)
            .Select(r => new RunSummary(r.Id, r.Input, r.Status, r.Source, r.Principal, r.CreatedAt, r.DurationMs, r.ToolExecutions.Count))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Counts every match, then returns the requested page.</summary>
    public async Task<AuditPage<RunSummary>> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var matches = Filter(db, query);
        var total = await CountAsync(db, matches, query, cancellationToken);
        var items = await Sort(matches, query)
            .Skip(query.Offset)
            .Take(query.PageSize)
            .Select(r => new RunSummary(r.Id, r.Input, r.Status, r.Source, r.Principal, r.CreatedAt, r.DurationMs, r.ToolExecutions.Count))
            .ToListAsync(cancellationToken);
        return new AuditPage<RunSummary>(items, total, query.Page, query.PageSize);
    }

    /// <summary>The run with its decisions and executions in the order they were recorded, or null when unknown.</summary>
    public async Task<RunDetail?> GetRunAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return null;
        }
        var details = await LoadDetailsAsync(db, [request], cancellationToken);
        return details[0];
    }

    /// <summary>Every run matching the query's filters, in its sort order, fully detailed; streamed in batches.</summary>
    public async IAsyncEnumerable<RunDetail> ExportAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var details = await contexts.CreateDbContextAsync(cancellationToken);
        var batch = new List<RunRecord>(ExportBatchSize);
        await foreach (var request in Sort(Filter(db, query), query).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            batch.Add(request);
            if (batch.Count == ExportBatchSize)
            {
                foreach (var run in await LoadDetailsAsync(details, batch, cancellationToken))
                {
                    yield return run;
                }
                batch.Clear();
            }
        }
        foreach (var run in await LoadDetailsAsync(details, batch, cancellationToken))
        {
            yield return run;
        }
    }

    /// <summary>The filtered runs as a composable query (exposed to tests to check the plan stays indexed).</summary>
    internal static IQueryable<RunRecord> Filter(AuditDbContext db, AuditQuery query)
    {
        var requests = db.Requests.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Status))
        {
            requests = requests.Where(r => r.Status == query.Status);
        }
        if (!string.IsNullOrWhiteSpace(query.Source))
        {
            requests = requests.Where(r => r.Source == query.Source);
        }
        if (!string.IsNullOrWhiteSpace(query.Principal))
        {
            requests = requests.Where(r => r.Principal == query.Principal);
        }
        if (query.From is { } from)
        {
            requests = requests.Where(r => r.CreatedAt >= from);
        }
        if (query.To is { } to)
        {
            requests = requests.Where(r => r.CreatedAt < to);
        }
        if (!string.IsNullOrWhiteSpace(query.ToolName))
        {
            requests = requests.Where(r => db.ToolExecutions.Any(e => e.ToolName == query.ToolName && e.RequestId == r.Id));
        }
        if (ToFullTextQuery(query.Text) is { } match)
        {
            // FTS5 indexes (see the migration) keep this fast over millions of executions: no LIKE scan.
            var matching = db.Database.SqlQuery<string>($"""
                SELECT r.id AS "Value" FROM requests AS r
                WHERE r.seq IN (SELECT rowid FROM requests_fts WHERE requests_fts MATCH {match})
                UNION
                SELECT e.request_id FROM tool_executions AS e
                WHERE e.id IN (SELECT rowid FROM tool_executions_fts WHERE tool_executions_fts MATCH {match})
                """);
            requests = requests.Where(r => matching.Contains(r.Id));
        }
        return requests;
    }

    /// <summary>
    /// The number of matching runs. A tool-only filter is counted on the (tool_name, request_id) index alone: probing
    /// every request for an execution of the tool is an order of magnitude slower on a large history.
    /// </summary>
    private static Task<int> CountAsync(AuditDbContext db, IQueryable<RunRecord> matches, AuditQuery query, CancellationToken cancellationToken)
    {
        var toolOnly = !string.IsNullOrWhiteSpace(query.ToolName)
            && string.IsNullOrWhiteSpace(query.Status) && string.IsNullOrWhiteSpace(query.Source) && string.IsNullOrWhiteSpace(query.Principal)
            && query.From is null && query.To is null && ToFullTextQuery(query.Text) is null;
        return toolOnly
            ? db.ToolExecutions.Where(e => e.ToolName == query.ToolName).Select(e => e.RequestId).Distinct().CountAsync(cancellationToken)
            : matches.CountAsync(cancellationToken);
    }

    /// <summary>Each word of the search text becomes a quoted prefix term, so user input is never FTS5 syntax.</summary>
    internal static string? ToFullTextQuery(string? text)
    {
        var terms = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (terms.Length == 0)
        {
            return null;
        }
        var match = new StringBuilder();
        foreach (var term in terms)
        {
            if (match.Length > 0)
            {
                match.Append(' ');
            }
            match.Append('"').Append(term.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"*");
        }
        return match.ToString();
    }

    private static IQueryable<RunRecord> Sort(IQueryable<RunRecord> requests, AuditQuery query)
    {
        var ordered = (query.SortBy, query.Descending) switch
        {
            (AuditSortField.CompletedAt, false) => requests.OrderBy(r => r.CompletedAt),
            (AuditSortField.CompletedAt, true) => requests.OrderByDescending(r => r.CompletedAt),
            (AuditSortField.DurationMs, false) => requests.OrderBy(r => r.DurationMs),
            (AuditSortField.DurationMs, true) => requests.OrderByDescending(r => r.DurationMs),
            (AuditSortField.Status, false) => requests.OrderBy(r => r.Status),
            (AuditSortField.Status, true) => requests.OrderByDescending(r => r.Status),
            (AuditSortField.Source, false) => requests.OrderBy(r => r.Source),
            (AuditSortField.Source, true) => requests.OrderByDescending(r => r.Source),
            (AuditSortField.Principal, false) => requests.OrderBy(r => r.Principal),
            (AuditSortField.Principal, true) => requests.OrderByDescending(r => r.Principal),
            (_, false) => requests.OrderBy(r => r.CreatedAt),
            (_, true) => requests.OrderByDescending(r => r.CreatedAt),
        };
        return query.Descending ? ordered.ThenByDescending(r => r.Seq) : ordered.ThenBy(r => r.Seq);
    }

    private static async Task<List<RunDetail>> LoadDetailsAsync(AuditDbContext db, List<RunRecord> requests, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return [];
        }
        var ids = requests.Select(r => r.Id).ToList();
        var decisions = (await db.Decisions.AsNoTracking().Where(d => ids.Contains(d.RequestId)).OrderBy(d => d.Seq).ToListAsync(cancellationToken))
            .ToLookup(d => d.RequestId);
        var executions = (await db.ToolExecutions.AsNoTracking().Where(e => ids.Contains(e.RequestId)).OrderBy(e => e.Seq).ToListAsync(cancellationToken))
            .ToLookup(e => e.RequestId);
        return requests.Select(r => new RunDetail(
            r.Id, r.Input, r.Status, r.Output, r.Error, r.Source, r.Principal, r.ClientIp, r.CreatedAt, r.CompletedAt, r.DurationMs,
            decisions[r.Id].Select(d => new DecisionDetail(d.Id, d.Step, d.Reasoning, ParseJson(d.SelectedTools), d.Model,
                d.InputTokens, d.OutputTokens, d.LatencyMs, d.CreatedAt)).ToList(),
            executions[r.Id].Select(e => new ToolExecutionDetail(e.Id, e.DecisionId, e.ToolName, ParseJson(e.Input), ParseJson(e.Output),
                e.Status, e.Error, e.DurationMs, e.CreatedAt, ParseJson(e.Policy))).ToList())).ToList();
    }

    /// <summary>Stored JSON as JSON; anything unparseable is kept verbatim as a string rather than lost.</summary>
    private static JsonElement? ParseJson(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
