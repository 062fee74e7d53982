namespace Agent.Bench.Infrastructure;

/// <summary>An HttpClient for one server with the bench API key, and the one call every benchmark makes.</summary>
public static class AgentClient
{
    public const string ListFiles = "List the files in the workspace";

    public static HttpClient Create(Uri baseAddress, TimeSpan? timeout = null) => AgentRuns.CreateClient(baseAddress, BenchContext.ApiKey, timeout);

    /// <summary>POST /agent/run; returns the HTTP status and, on 200, the run's id and status.</summary>
    public static Task<RunReply> RunAsync(HttpClient client, string input, CancellationToken cancellationToken = default) =>
        AgentRuns.PostAsync(client, input, cancellationToken);
}
