using System.Net;
using System.Text.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Api;

public sealed class ApiContractTests
{
    [Theory]
    [InlineData("GET", "/agent/run", "POST")]
    [InlineData("PUT", "/agent/runs/abc/cancel", "POST")]
    [InlineData("DELETE", "/audit/requests", "GET")]
    [InlineData("POST", "/health", "GET")]
    public async Task WrongMethodOnAKnownRoute_Is405WithAllow(string method, string path, string allowed)
    {
        await using var app = new AgentApplication();

        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal([allowed], response.Content.Headers.Allow.Count > 0 ? response.Content.Headers.Allow : response.Headers.GetValues("Allow"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Method not allowed", body.GetProperty("error").GetString());
        Assert.Contains(allowed, body.GetProperty("details")[0].GetString());
    }

    [Theory]
    [InlineData("status=bogus", "status: must be one of running, success, tool_error, error")]
    [InlineData("source=xyz", "source: must be one of api, console")]
    [InlineData("sort=nope", "sort: must be one of")]
    [InlineData("from=yesterday", "from: 'yesterday' is not an ISO-8601 date-time")]
    [InlineData("to=2026-13-45", "to: '2026-13-45' is not an ISO-8601 date-time")]
    public async Task AuditSearch_InvalidFilter_Is400NamingIt(string query, string detail)
    {
        await using var app = new AgentApplication();
        var client = app.CreateAuthenticatedClient();

        foreach (var path in new[] { "/audit/requests?", "/audit/export?format=csv&" })
        {
            var response = await client.GetAsync(path + query);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var details = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("details");
            Assert.Contains(details.EnumerateArray(), d => d.GetString()!.StartsWith(detail, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AuditSearch_ValidIsoTimes_AreAccepted()
    {
        await using var app = new AgentApplication();

        var response = await app.CreateAuthenticatedClient().GetAsync("/audit/requests?from=2026-01-15T10:30:00Z&to=2026-01-16T00:00:00%2B02:00&status=error&source=api");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
