using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Api;

public sealed class RemoteProviderApiTests
{
    [Fact]
    public async Task PostRun_OpenAiCompatibleWithShippedEmptyModel_UsesProviderDefaultAndSucceeds()
    {
        await using var llm = await ListingModelAsync(FakeWire.OpenAi);
        // appsettings.json ships "Model": "" and "BaseUrl": ""; only the provider and its endpoint are set here.
        await using var app = WithProvider(llm, "openai-compatible");

        var response = await app.RunAsync("List the files");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.Equal("One file.", body.GetProperty("output").GetString());
        Assert.Equal("default", llm.Requests[0].Body["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("openai-compatible")]
    [InlineData("anthropic")]
    public async Task PostRun_RemoteProvider_SendsTheProviderNoTraceContext(string provider)
    {
        await using var llm = await ListingModelAsync(provider == "anthropic" ? FakeWire.Anthropic : FakeWire.OpenAi);
        await using var app = WithProvider(llm, provider, apiKey: "provider-key");
        // The caller sends its own trace context, as a traced automation client would.
        using var client = app.CreateAuthenticatedClient();
        client.DefaultRequestHeaders.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        client.DefaultRequestHeaders.Add("baggage", "user=alice");

        var response = await app.RunAsync("List the files", client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, llm.Requests.Count);
        AssertNoTraceContext(llm.Requests);
    }

    [Fact]
    public async Task PostRuns_BackgroundRunOfATracedCaller_SendsTheProviderNoTraceContext()
    {
        await using var llm = await ListingModelAsync(FakeWire.OpenAi);
        await using var app = WithProvider(llm, "openai-compatible");
        // The older hierarchical form of a caller's trace id; the run goes on after the request that started it ended.
        using var client = app.CreateAuthenticatedClient();
        client.DefaultRequestHeaders.Add("Request-Id", "|0af7651916cd43dd8448eb211c80319c.b7ad6b7169203331.");
        client.DefaultRequestHeaders.Add("Correlation-Context", "user=alice");

        var accepted = await client.PostAsJsonAsync("/agent/runs", new { input = "List the files" });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await Eventually.UntilAsync(() => Task.FromResult(llm.Requests.Count == 2), TimeSpan.FromSeconds(10), () => $"{llm.Requests.Count} model calls");
        AssertNoTraceContext(llm.Requests);
    }

    /// <summary>A fake provider that asks for <c>list_dir</c>, then answers "One file.".</summary>
    private static async Task<FakeOpenAiServer> ListingModelAsync(FakeWire wire)
    {
        var llm = await FakeOpenAiServer.StartAsync(wire);
        llm.Enqueue(FakeReply.Call("list_dir", """{"path":"."}"""), FakeReply.Text("One file."));
        return llm;
    }

    /// <summary>The agent on <paramref name="provider"/> at the fake's endpoint; the shipped settings for everything else.</summary>
    private static AgentApplication WithProvider(FakeOpenAiServer llm, string provider, string? apiKey = null)
    {
        var settings = new Dictionary<string, string?> { ["Llm:Provider"] = provider, ["Llm:BaseUrl"] = llm.BaseUrl };
        if (apiKey is not null)
        {
            settings["Llm:ApiKey"] = apiKey;
        }
        return new AgentApplication(settings);
    }

    /// <summary>Neither the caller's trace ids and baggage nor the server's own reach a third party, under any header.</summary>
    private static void AssertNoTraceContext(IEnumerable<RecordedRequest> requests) => Assert.All(requests, r =>
    {
        foreach (var header in new[] { "traceparent", "tracestate", "baggage", "request-id", "correlation-context" })
        {
            Assert.Null(r.Header(header));
        }
        Assert.DoesNotContain(r.Headers!.Values, v => v.Contains("0af7651916cd43dd8448eb211c80319c", StringComparison.Ordinal) || v.Contains("alice", StringComparison.Ordinal));
    });
}
