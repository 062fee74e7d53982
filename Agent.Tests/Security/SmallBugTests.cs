using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Agent.Web.Components.Account;

namespace Agent.Tests.Security;

public sealed class SmallBugTests
{
    [Fact]
    public async Task AuditSearch_PagePastTheOffsetRange_Is400NotPageOne()
    {
        await using var app = new AgentApplication();
        await app.RunAsync("check your health");
        var client = app.CreateAuthenticatedClient();

        var overflow = await client.GetAsync("/audit/requests?page=2147483647");
        var farButValid = JsonDocument.Parse(await client.GetStringAsync("/audit/requests?page=2147483647&page_size=1")).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, overflow.StatusCode);
        Assert.Contains("page: must be at most", await overflow.Content.ReadAsStringAsync());
        Assert.Equal(0, farButValid.GetProperty("items").GetArrayLength());
        Assert.Equal(2147483647, farButValid.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task SignIn_NonAsciiReturnUrl_RedirectsPercentEncoded()
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();
        using var client = ConsoleHttp.Client(baseUrl);

        var response = await ConsoleHttp.SignInAsync(client, AgentApplication.ApiKey, "/audit?q=größe ü");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/audit?q=gr%C3%B6%C3%9Fe%20%C3%BC", new Uri(baseUrl, response.Headers.Location!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(response.Headers.Location)).StatusCode);
    }

    [Theory]
    [InlineData("/run", "/run")]
    [InlineData("/runs/ü?x=1#top", "/runs/%C3%BC?x=1#top")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("/.//evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/a\r\nSet-Cookie: x=1", "/")]
    [InlineData(null, "/")]
    public void SafeReturnUrl_OnlyLocalAsciiPaths(string? returnUrl, string expected) =>
        Assert.Equal(expected, SignIn.SafeReturnUrl(returnUrl));

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"input": ""}""")]
    [InlineData("""{"input": "   "}""")]
    public async Task PostRuns_InvalidBody_Is422AndRecorded(string json)
    {
        await using var app = new AgentApplication();

        var response = await app.CreateAuthenticatedClient().PostAsync("/agent/runs", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var row = Assert.Single(await app.WaitForRowsAsync("SELECT * FROM security_events", 1));
        Assert.Equal(422L, row["status_code"]);
        Assert.Equal("invalid_body", row["reason"]);
        Assert.Equal("/agent/runs", row["route"]);
        Assert.Equal(AgentApplication.ApiKeyName, row["principal"]);
    }

    [Fact]
    public async Task PostRuns_MalformedJson_Is422AndRecorded()
    {
        await using var app = new AgentApplication();

        var response = await app.CreateAuthenticatedClient().PostAsJsonAsync("/agent/runs", new { input = 42 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("invalid_body", Assert.Single(await app.WaitForRowsAsync("SELECT reason FROM security_events", 1))["reason"]);
    }
}
