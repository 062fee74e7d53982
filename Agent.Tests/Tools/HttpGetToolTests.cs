using System.Net;
using Agent.Core.Tools;
using Agent.Core.Tools.BuiltIn;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Tools;

/// <summary>http_get with network allowed: only allowlisted hosts, every redirect hop checked, body capped.</summary>
public sealed class HttpGetToolTests : IDisposable
{
    private readonly FakeHttpHandler _network;
    private readonly ToolHarness _tools;

    public HttpGetToolTests()
    {
        _network = new FakeHttpHandler(Respond);
        _tools = new ToolHarness(
            new Dictionary<string, string?>
            {
                ["Agent:BlockedPermissions"] = "execute",
                ["Tools:HttpAllowedHosts"] = "docs.example.com,*.trusted.test",
                ["Tools:HttpMaxResponseSize"] = "2048",
                ["Agent:MaxOutputSize"] = "100000",
            },
            s => s.AddHttpClient(HttpGetTool.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _network));
    }

    public void Dispose() => _tools.Dispose();

    private static HttpResponseMessage Respond(HttpRequestMessage request) => request.RequestUri!.AbsolutePath switch
    {
        "/page" => FakeHttpHandler.Text("<h1>Docs</h1>", "text/html"),
        "/big" => FakeHttpHandler.Text(new string('z', 10_000)),
        "/binary" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 0, 3]) },
        "/to-evil" => FakeHttpHandler.Redirect("https://evil.example.net/steal"),
        "/to-sub" => FakeHttpHandler.Redirect("https://api.trusted.test/page"),
        "/to-file" => FakeHttpHandler.Redirect("file:///etc/passwd"),
        "/loop" => FakeHttpHandler.Redirect("/loop"),
        _ => new HttpResponseMessage(HttpStatusCode.NotFound),
    };

    [Fact]
    public async Task ExecuteAsync_AllowedHost_ReturnsStatusAndContent()
    {
        var result = await _tools.RunAsync("http_get", """{"url": "https://docs.example.com/page"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal(200, result.Output!["status_code"]!.GetValue<int>());
        Assert.Equal("<h1>Docs</h1>", result.Output["content"]!.GetValue<string>());
        Assert.Equal([new Uri("https://docs.example.com/page")], _network.Requests);
    }

    [Theory]
    [InlineData("https://evil.example.net/")]
    [InlineData("https://docs.example.com.evil.net/")]
    [InlineData("http://127.0.0.1:8000/agent/run")]
    [InlineData("http://trusted.test/")]
    public async Task ExecuteAsync_HostNotOnAllowlist_BlockedAndNoRequestSent(string url)
    {
        var result = await _tools.RunAsync("http_get", $$"""{"url": "{{url}}"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal($"Host '{new Uri(url).Host}' is not on the allowlist (HTTP_ALLOWED_HOSTS).", result.Error);
        Assert.Empty(_network.Requests);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "URL scheme 'file' is not allowed; only http and https URLs are allowed.")]
    [InlineData("ftp://docs.example.com/x", "URL scheme 'ftp' is not allowed; only http and https URLs are allowed.")]
    [InlineData("https://docs.example.com@evil.example.net/", "URL must not contain credentials.")]
    [InlineData("/relative/path", "URL '/relative/path' is not an absolute URL.")]
    public async Task ExecuteAsync_UnsafeUrl_ErrorAndNoRequestSent(string url, string expected)
    {
        var result = await _tools.RunAsync("http_get", $$"""{"url": "{{url}}"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal(expected, result.Error);
        Assert.Empty(_network.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_RedirectToDisallowedHost_BlockedAndNotFollowed()
    {
        var result = await _tools.RunAsync("http_get", """{"url": "https://docs.example.com/to-evil"}""");

        Assert.Equal(ToolExecutionStatus.Blocked, result.Status);
        Assert.Equal("Redirect to host 'evil.example.net' was refused: it is not on the allowlist (HTTP_ALLOWED_HOSTS).", result.Error);
        Assert.Equal([new Uri("https://docs.example.com/to-evil")], _network.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_RedirectToFileScheme_ErrorAndNotFollowed()
    {
        var result = await _tools.RunAsync("http_get", """{"url": "https://docs.example.com/to-file"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("Redirect target scheme 'file' is not allowed; only http and https URLs are allowed.", result.Error);
        Assert.Single(_network.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_RedirectToAllowedWildcardHost_Followed()
    {
        var result = await _tools.RunAsync("http_get", """{"url": "https://docs.example.com/to-sub"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("https://api.trusted.test/page", result.Output!["final_url"]!.GetValue<string>());
        Assert.Equal(2, _network.Requests.Count);
    }

    [Fact]
    public async Task ExecuteAsync_RedirectLoop_ErrorAfterMaxRedirects()
    {
        var result = await _tools.RunAsync("http_get", """{"url": "https://docs.example.com/loop"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Equal("Too many redirects (more than 5).", result.Error);
        Assert.Equal(6, _network.Requests.Count);
    }

    [Fact]
    public async Task ExecuteAsync_BodyOverMaxResponseSize_ReadUpToLimitAndTruncated()
    {
        var result = await _tools.RunAsync("http_get", """{"url": "https://docs.example.com/big"}""");

        Assert.True(result.Output!["truncated"]!.GetValue<bool>());
        Assert.Equal(2048, result.Output["bytes_read"]!.GetValue<int>());
        Assert.Equal(2048, result.Output["content"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task ExecuteAsync_BinaryBody_ReportedBinaryWithoutContent()
    {
        var result = await _tools.RunAsync("http_get", """{"url": "https://docs.example.com/binary"}""");

        Assert.True(result.Output!["binary"]!.GetValue<bool>());
        Assert.Null(result.Output["content"]);
    }
}
