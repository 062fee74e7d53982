using Agent.Bench.Infrastructure;

namespace Agent.Bench.AuditSearch;

/// <summary>Fallback when the server has no audit API: AuditQueries.LatestAsync in-process, which ignores every filter.</summary>
public sealed class LatestRunsSearch(InProcessAudit audit) : IAuditSearchPath
{
    public string Description => "AuditQueries.LatestAsync (in-process; no filters)";
    public bool Filters => false;

    public async Task RunAsync(SearchCase search, CancellationToken cancellationToken) =>
        await audit.Queries.LatestAsync(SearchCase.PageSize, cancellationToken);

    public ValueTask DisposeAsync() => audit.DisposeAsync();
}
