namespace Agent.Bench.AuditSearch;

/// <summary>
/// The product's query path for a search case. The adapter is chosen at run time: the audit API when the server
/// answers GET /audit/requests, otherwise AuditQueries.LatestAsync in-process (which cannot filter).
/// </summary>
public interface IAuditSearchPath : IAsyncDisposable
{
    string Description { get; }

    /// <summary>False when this path ignores the filters, so its timings are not comparable to the filtered SQL.</summary>
    bool Filters { get; }

    Task RunAsync(SearchCase search, CancellationToken cancellationToken);
}
