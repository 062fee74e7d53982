using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Agent.Core.Auditing;

/// <summary>Aggregates for the console's dashboard and system pages, computed in SQL so they stay cheap on a large history.</summary>
public sealed class AuditStatistics(IDbContextFactory<AuditDbContext> contexts, TimeProvider clock)
{
    public async Task<AuditCounts> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return new AuditCounts(
            await db.Requests.LongCountAsync(cancellationToken),
            await db.Decisions.LongCountAsync(cancellationToken),
            await db.ToolExecutions.LongCountAsync(cancellationToken));
    }

    /// <summary>Runs and failures per minute, and tool latency percentiles, over the last <paramref name="window"/>.</summary>
    public async Task<ActivitySummary> ActivityAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        var until = clock.GetUtcNow();
        var since = until - window;
        var sinceText = AuditTimestamp.ToText(since);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        var minutes = await db.Database.SqlQuery<MinuteBucket>($"""
            SELECT substr(created_at, 1, 16) AS Minute, count(*) AS Runs,
                   sum(CASE WHEN status IN ('error', 'tool_error') THEN 1 ELSE 0 END) AS Failures
            FROM requests WHERE created_at >= {sinceText} GROUP BY substr(created_at, 1, 16) ORDER BY Minute
            """).ToListAsync(cancellationToken);

        var tools = await db.ToolExecutions.Where(e => e.CreatedAt >= since)
            .GroupBy(e => e.ToolName)
            .Select(g => new { Tool = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var latencies = new List<ToolLatency>();
        foreach (var tool in tools.OrderBy(t => t.Tool, StringComparer.Ordinal))
        {
            var ordered = db.ToolExecutions.Where(e => e.ToolName == tool.Tool && e.CreatedAt >= since).OrderBy(e => e.DurationMs).Select(e => e.DurationMs);
            var p50 = await ordered.Skip(Percentile(tool.Count, 0.50)).FirstAsync(cancellationToken);
            var p95 = await ordered.Skip(Percentile(tool.Count, 0.95)).FirstAsync(cancellationToken);
            latencies.Add(new ToolLatency(tool.Tool, tool.Count, p50, p95));
        }
        return new ActivitySummary(since, until, Fill(minutes, since, until), latencies);
    }

    /// <summary>Nearest-rank index of the <paramref name="fraction"/> percentile in a sorted list of <paramref name="count"/>.</summary>
    internal static int Percentile(int count, double fraction) => Math.Clamp((int)Math.Ceiling(fraction * count) - 1, 0, count - 1);

    /// <summary>Every minute of the window, zero where nothing ran, so charts have a continuous axis.</summary>
    private static IReadOnlyList<MinuteBucket> Fill(List<MinuteBucket> buckets, DateTimeOffset since, DateTimeOffset until)
    {
        var byMinute = buckets.ToDictionary(b => b.Minute, StringComparer.Ordinal);
        var result = new List<MinuteBucket>();
        for (var minute = since.UtcDateTime.AddSeconds(-since.Second).AddMilliseconds(-since.Millisecond); minute <= until.UtcDateTime; minute = minute.AddMinutes(1))
        {
            var key = minute.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
            result.Add(byMinute.GetValueOrDefault(key) ?? new MinuteBucket { Minute = key });
        }
        return result;
    }
}

public sealed record AuditCounts(long Requests, long Decisions, long ToolExecutions);

public sealed class MinuteBucket
{
    /// <summary>UTC minute as <c>yyyy-MM-ddTHH:mm</c>.</summary>
    public required string Minute { get; init; }
    public int Runs { get; init; }
    public int Failures { get; init; }
}

public sealed record ToolLatency(string ToolName, int Count, long P50Ms, long P95Ms);

public sealed record ActivitySummary(DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<MinuteBucket> Minutes, IReadOnlyList<ToolLatency> ToolLatencies)
{
    public int Runs => Minutes.Sum(m => m.Runs);
    public int Failures => Minutes.Sum(m => m.Failures);
    public double ErrorRate => Runs == 0 ? 0 : (double)Failures / Runs;
}
