using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Api;

public sealed class ApiHardeningTests
{
    [Fact]
    public async Task PostRun_EleventhRequestInAMinute_Returns429WithRetryAfter()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:RateLimitEnabled"] = "true", ["Agent:RateLimitRequests"] = "10" });
        var client = app.CreateAuthenticatedClient();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.RunAsync("check your health", client)).StatusCode);
        }
        var limited = await app.RunAsync("check your health", client);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("""{"error":"Rate limit exceeded: 10 per 1 minute"}""", await limited.Content.ReadAsStringAsync());
        Assert.Equal(10, (await app.QueryAsync("SELECT id FROM requests")).Count);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task PostRun_RateLimit_IsPartitionedPerKey()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?>
        {
            ["Agent:RateLimitEnabled"] = "true",
            ["Agent:RateLimitRequests"] = "2",
            ["Agent:ApiKeys:second"] = "second-key-0123456789abcdef",
        });
        var first = app.CreateAuthenticatedClient();
        var second = app.CreateClient();
        second.DefaultRequestHeaders.Add("X-API-Key", "second-key-0123456789abcdef");

        await app.RunAsync("check your health", first);
        await app.RunAsync("check your health", first);
        var firstLimited = await app.RunAsync("check your health", first);
        var secondAllowed = await app.RunAsync("check your health", second);

        Assert.Equal(HttpStatusCode.TooManyRequests, firstLimited.StatusCode);
        Assert.Contains("2 per 1 minute", await firstLimited.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, secondAllowed.StatusCode);
        var principals = (await app.QueryAsync("SELECT principal FROM requests")).Select(r => r["principal"]).ToList();
        Assert.Equal(2, principals.Count(p => (string?)p == AgentApplication.ApiKeyName));
        Assert.Single(principals, p => (string?)p == "second");
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_GetsCorsHeaders()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:CorsOrigins"] = "http://allowed.example" });

        var response = await app.CreateClient().SendAsync(Preflight("http://allowed.example"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("http://allowed.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("X-API-Key", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Preflight_DisallowedOrigin_GetsNoCorsHeaders()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:CorsOrigins"] = "http://allowed.example" });

        var preflight = await app.CreateClient().SendAsync(Preflight("http://evil.example"));
        var simple = new HttpRequestMessage(HttpMethod.Get, "/health");
        simple.Headers.Add("Origin", "http://evil.example");
        var get = await app.CreateClient().SendAsync(simple);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(get.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task PostRun_ContentLengthOverLimit_Returns413Json()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:MaxRequestSize"] = "2048" });

        var response = await app.CreateAuthenticatedClient().PostAsJsonAsync("/agent/run", new { input = new string('a', 5000) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Request body too large", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Empty(await app.QueryAsync("SELECT id FROM requests"));
    }

    [Fact]
    public async Task PostRun_ChunkedBodyOverLimit_Returns413Json()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:MaxRequestSize"] = "2048" });

        var response = await app.CreateAuthenticatedClient().PostAsync("/agent/run", ChunkedJson(5000));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Request body too large", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostRun_ChunkedBodyOverLimitOnKestrel_Returns413AndServerKeepsServing()
    {
        await using var app = new AgentApplication(new Dictionary<string, string?> { ["Agent:MaxRequestSize"] = "2048" });
        using var client = new HttpClient { BaseAddress = app.StartOnRealPort() };
        client.DefaultRequestHeaders.Add("X-API-Key", AgentApplication.ApiKey);

        var response = await client.PostAsync("/agent/run", ChunkedJson(50_000));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too large", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/agent/run", ChunkedJson(100))).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/no/such/route", HttpStatusCode.NotFound, "Not found")]
    [InlineData("DELETE", "/health", HttpStatusCode.MethodNotAllowed, "Method not allowed")]
    [InlineData("GET", "/agent/run", HttpStatusCode.MethodNotAllowed, "Method not allowed")]
    [InlineData("DELETE", "/agent/run", HttpStatusCode.MethodNotAllowed, "Method not allowed")]
    public async Task UnknownRouteOrMethod_ReturnsJsonError(string method, string path, HttpStatusCode expected, string message)
    {
        await using var app = new AgentApplication();

        var response = await app.CreateAuthenticatedClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/")]
    [InlineData("/agent/run")]
    public async Task AnyResponse_CarriesSecurityHeaders(string path)
    {
        await using var app = new AgentApplication();

        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
    }

    [Fact]
    public async Task PostRun_HostileBodies_ServerKeepsServing()
    {
        await using var app = new AgentApplication();
        var client = app.CreateAuthenticatedClient();
        string[] hostile = ["[]", "null", "\"input\"", """{"input": ["a"]}""", """{"input": {"$ne": 1}}""", "{\"input\": \"\u0000\"}", new string('{', 5000)];

        foreach (var body in hostile)
        {
            var response = await client.PostAsync("/agent/run", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.OK, $"{body[..Math.Min(20, body.Length)]}: {response.StatusCode}");
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty(response.IsSuccessStatusCode ? "status" : "error", out _));
        }
        Assert.Equal(HttpStatusCode.OK, (await app.RunAsync("check your health", client)).StatusCode);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/agent/run");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        return request;
    }

    /// <summary>A JSON body sent without Content-Length (chunked transfer encoding).</summary>
    private static StreamContent ChunkedJson(int inputLength)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new { input = "check your health " + new string('a', inputLength) });
        var content = new StreamContent(new NonSeekableStream(json));
        content.Headers.ContentType = new("application/json");
        return content;
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
