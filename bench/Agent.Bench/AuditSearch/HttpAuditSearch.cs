using Agent.Bench.Infrastructure;

namespace Agent.Bench.AuditSearch;

/// <summary>GET /audit/requests with the case's query parameters, through the running server.</summary>
public sealed class HttpAuditSearch(HttpClient client) : IAuditSearchPath
{
    public string Description => "GET /audit/requests";
    public bool Filters => true;

    /// <summary>The audit API exists when an unfiltered first page answers 200.</summary>
    public static async Task<HttpAuditSearch?> TryCreateAsync(Uri baseAddress)
    {
        var client = AgentClient.Create(baseAddress, TimeSpan.FromSeconds(60));
        using var response = await client.GetAsync("audit/requests?page=1&page_size=1");
        if (response.IsSuccessStatusCode)
        {
            return new HttpAuditSearch(client);
        }
        client.Dispose();
        return null;
    }

    public async Task RunAsync(SearchCase search, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"audit/requests?{search.QueryString}", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /audit/requests?{search.QueryString} answered {(int)response.StatusCode}: {body}");
        }
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
