using System.Globalization;
using System.Text.Json.Serialization;
using Agent.Core.Auditing;
using Agent.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Agent.Web.Api;

/// <summary>
/// The audit API: search runs, read one run in full, export, and verify the tamper-evident chain. Runner keys search and
/// read only their own runs (asking for another principal is a 403; another key's run id is a 404, like an unknown id);
/// auditor and admin keys read everything, and only they export and verify.
/// </summary>
public static class AuditEndpoints
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string JsonLinesContentType = "application/x-ndjson; charset=utf-8";

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/audit")
            .WithTags("Audit")
            .RequireAuthorization(ApiPolicies.ApiKey);

        audit.MapGet("/requests", SearchRunsAsync)
            .WithName("SearchAuditRuns")
            .WithSummary("Search recorded runs by status, tool, source, principal, date range and text; sorted and paged");
        audit.MapGet("/requests/{id}", GetRunAsync)
            .WithName("GetAuditRun")
            .WithSummary("One run in full: the request, its decisions and its tool executions in order");
        audit.MapGet("/export", Export)
            .WithName("ExportAuditRuns")
            .WithSummary("Stream the matching runs as CSV (format=csv) or JSON Lines (format=jsonl)")
            .Produces(StatusCodes.Status200OK, contentType: CsvContentType, additionalContentTypes: JsonLinesContentType)
            .RequireAuthorization(ApiPolicies.WholeAudit);
        audit.MapGet("/verify", VerifyAsync)
            .WithName("VerifyAuditChain")
            .WithSummary("Recompute the audit hash chain: ok, or the first broken link (table and id)")
            .RequireAuthorization(ApiPolicies.WholeAudit);
        return app;
    }

    internal static async Task<Results<Ok<AuditPage<RunSummary>>, BadRequest<ErrorResponse>, JsonHttpResult<ErrorResponse>>> SearchRunsAsync(
        [AsParameters] AuditSearchParameters parameters, HttpContext http, AuditQueries queries, CancellationToken cancellationToken)
    {
        var (query, problems) = parameters.ToQuery();
        if (problems.Count > 0)
        {
            return TypedResults.BadRequest(new ErrorResponse("Invalid query", problems));
        }
        if (http.User.Role() is not (KeyRoleNames.Auditor or KeyRoleNames.Admin))
        {
            var self = http.User.Name();
            if (query.Principal is { Length: > 0 } asked && asked != self)
            {
                http.RecordRejection(StatusCodes.Status403Forbidden, SecurityEventReasons.RoleForbidden);
                return TypedResults.Json(new ErrorResponse("Forbidden: a runner key searches only its own runs (principal must be omitted or its own name)"),
                    statusCode: StatusCodes.Status403Forbidden);
            }
            query = query with { Principal = self };
        }
        return TypedResults.Ok(await queries.SearchAsync(query, cancellationToken));
    }

    internal static async Task<Results<Ok<RunDetail>, NotFound<ErrorResponse>>> GetRunAsync(
        string id, HttpContext http, AuditQueries queries, CancellationToken cancellationToken)
    {
        var run = await queries.GetRunAsync(id, cancellationToken);
        if (run is not null && http.User.Role() is not (KeyRoleNames.Auditor or KeyRoleNames.Admin) && !http.User.MaySee(run.Principal))
        {
            // Another key's run answers exactly like an unknown id, so run ids cannot be probed.
            http.RecordRejection(StatusCodes.Status404NotFound, SecurityEventReasons.NotOwner);
            run = null;
        }
        return run is not null ? TypedResults.Ok(run) : TypedResults.NotFound(new ErrorResponse($"Run '{id}' not found"));
    }

    internal static Results<PushStreamHttpResult, BadRequest<ErrorResponse>> Export(
        [FromQuery(Name = "format")] string? format, [AsParameters] AuditSearchParameters parameters,
        AuditQueries queries, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (query, problems) = parameters.ToQuery();
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !string.Equals(format, "jsonl", StringComparison.OrdinalIgnoreCase))
        {
            problems = [.. problems, "format: must be csv or jsonl"];
        }
        if (problems.Count > 0)
        {
            return TypedResults.BadRequest(new ErrorResponse("Invalid query", problems));
        }
        var runs = queries.ExportAsync(query, cancellationToken);
        var fileName = $"audit-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}.{(csv ? "csv" : "jsonl")}";
        return csv
            ? TypedResults.Stream(body => AuditExport.WriteCsvAsync(runs, body, cancellationToken), CsvContentType, fileName)
            : TypedResults.Stream(body => AuditExport.WriteJsonLinesAsync(runs, body, cancellationToken), JsonLinesContentType, fileName);
    }

    internal static async Task<Ok<AuditVerifyResponse>> VerifyAsync(AuditChainVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(AuditVerifyResponse.From(await verifier.VerifyAsync(cancellationToken)));
}

/// <summary>Query string of the search and export routes (snake_case names).</summary>
public sealed class AuditSearchParameters
{
    private static readonly Dictionary<string, AuditSortField> SortFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["created_at"] = AuditSortField.CreatedAt,
        ["completed_at"] = AuditSortField.CompletedAt,
        ["duration_ms"] = AuditSortField.DurationMs,
        ["status"] = AuditSortField.Status,
        ["source"] = AuditSortField.Source,
        ["principal"] = AuditSortField.Principal,
    };

    public static readonly string[] Statuses = ["running", "success", "tool_error", "error"];
    public static readonly string[] Sources = ["api", "console"];

    [FromQuery(Name = "status")] public string? Status { get; init; }
    [FromQuery(Name = "tool_name")] public string? ToolName { get; init; }
    [FromQuery(Name = "source")] public string? Source { get; init; }
    [FromQuery(Name = "principal")] public string? Principal { get; init; }
    /// <summary>Inclusive lower bound on created_at (ISO-8601); read as text so a bad value gets a 400 that names it.</summary>
    [FromQuery(Name = "from")] public string? From { get; init; }
    /// <summary>Exclusive upper bound on created_at (ISO-8601).</summary>
    [FromQuery(Name = "to")] public string? To { get; init; }
    /// <summary>Words searched in the input, output and error of runs and tool executions.</summary>
    [FromQuery(Name = "q")] public string? Text { get; init; }
    /// <summary>created_at (default), completed_at, duration_ms, status, source or principal.</summary>
    [FromQuery(Name = "sort")] public string? Sort { get; init; }
    /// <summary>Descending order; default true.</summary>
    [FromQuery(Name = "desc")] public bool? Descending { get; init; }
    [FromQuery(Name = "page")] public int? Page { get; init; }
    [FromQuery(Name = "page_size")] public int? PageSize { get; init; }

    public (AuditQuery Query, IReadOnlyList<string> Problems) ToQuery()
    {
        var problems = new List<string>();
        if (Status is { Length: > 0 } && !Statuses.Contains(Status))
        {
            problems.Add($"status: must be one of {string.Join(", ", Statuses)}");
        }
        if (Source is { Length: > 0 } && !Sources.Contains(Source))
        {
            problems.Add($"source: must be one of {string.Join(", ", Sources)}");
        }
        var from = Time("from", From, problems);
        var to = Time("to", To, problems);
        var sort = AuditSortField.CreatedAt;
        if (Sort is { Length: > 0 } && !SortFields.TryGetValue(Sort, out sort))
        {
            problems.Add($"sort: must be one of {string.Join(", ", SortFields.Keys)}");
        }
        var query = new AuditQuery
        {
            Status = Status,
            ToolName = ToolName,
            Source = Source,
            Principal = Principal,
            From = from,
            To = to,
            Text = Text,
            SortBy = sort,
            Descending = Descending ?? true,
            Page = Page ?? 1,
            PageSize = PageSize ?? AuditQuery.DefaultPageSize,
        };
        problems.AddRange(query.Validate());
        return (query, problems);
    }

    private static DateTimeOffset? Time(string name, string? value, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }
        problems.Add($"{name}: '{value}' is not an ISO-8601 date-time (e.g. 2026-01-15T10:30:00Z)");
        return null;
    }
}

/// <summary>Result of <c>GET /audit/verify</c>: <c>status</c> is <c>ok</c> or <c>broken</c>, with the first broken link.</summary>
public sealed record AuditVerifyResponse(
    string Status,
    long EntriesVerified,
    long? HeadSeq,
    string? HeadHash,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChainBreak? Broken)
{
    public static AuditVerifyResponse From(ChainVerification result) =>
        new(result.IsValid ? "ok" : "broken", result.EntriesVerified, result.HeadSeq, result.HeadHash, result.Break);

    public override string ToString() =>
        Status == "ok"
            ? string.Create(CultureInfo.InvariantCulture, $"OK: {EntriesVerified} audit chain entries verified (head seq {HeadSeq?.ToString(CultureInfo.InvariantCulture) ?? "-"}, hash {HeadHash ?? "-"})")
            : $"BROKEN: {Broken}";
}
