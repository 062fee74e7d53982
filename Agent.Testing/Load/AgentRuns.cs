using System.Net.Http.Json;
using System.Text.Json;

namespace Agent.Testing;

/// <summary>The client side of <c>POST /agent/run</c> for load and fault runs: a pooled client with a key, and one call.</summary>
public static class AgentRuns
{
    public static HttpClient CreateClient(Uri baseAddress, string apiKey, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        return client;
    }

    /// <summary>POST /agent/run; returns the HTTP status and, on 200, the run's id, status and number of tool executions.</summary>
    public static async Task<RunReply> PostAsync(HttpClient client, string input, CancellationToken cancellationToken = default)
    {
        using var response = await client.PostAsJsonAsync("agent/run", new { input }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new RunReply((int)response.StatusCode, null, null, 0);
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = json.RootElement;
        var executions = root.TryGetProperty("tool_executions", out var list) ? list.GetArrayLength() : 0;
        return new RunReply(200, root.GetProperty("request_id").GetString(), root.GetProperty("status").GetString(), executions);
    }
}

public sealed record RunReply(int HttpStatus, string? RequestId, string? Status, int ToolExecutions);
