using System.Net;
using System.Net.Sockets;
using System.Text;
using Agent.Core.Tools;
using Agent.Core.Tools.BuiltIn;
using Agent.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Agent.Tests.Tools;

/// <summary>http_get's real connection path: one DNS resolution, vetted addresses only, and tolerant charset decoding.</summary>
public sealed class HttpGetConnectTests
{
    private static Dictionary<string, string?> Settings(string hosts, bool allowPrivate = false) => new()
    {
        ["Agent:BlockedPermissions"] = "execute",
        ["Tools:HttpAllowedHosts"] = hosts,
        ["Tools:HttpAllowPrivateNetworks"] = allowPrivate ? "true" : "false",
        ["Tools:HttpTimeout"] = "5",
    };

    [Fact]
    public async Task ExecuteAsync_AllowedHostResolvingToLoopback_ErrorAndNoConnection()
    {
        await using var server = await TinyHttpServer.StartAsync();
        using var tools = new ToolHarness(Settings("localhost"));

        var result = await tools.RunAsync("http_get", $$"""{"url": "http://localhost:{{server.Port}}/"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Matches(@"^Request to 'localhost' failed: Host 'localhost' resolves to (127\.0\.0\.1|::1), a loopback address; http_get connects only to public addresses \(HTTP_ALLOW_PRIVATE_NETWORKS\)\.", result.Error);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task ExecuteAsync_NameResolvingToPublicAndPrivate_RefusedBeforeAnyConnection()
    {
        var resolver = new ScriptedResolver(IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.1.2.3"));
        using var tools = new ToolHarness(Settings("mixed.test"), s => s.AddSingleton<IHostResolver>(resolver));

        var result = await tools.RunAsync("http_get", """{"url": "http://mixed.test/"}""");

        Assert.Equal(ToolExecutionStatus.Error, result.Status);
        Assert.Contains("Host 'mixed.test' resolves to 10.1.2.3, a private address", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, resolver.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_ConnectsToTheVettedAddress_ResolvedOnceAndNeverAgain()
    {
        await using var server = await TinyHttpServer.StartAsync();
        // "rebind.test" exists only in this resolver: the request can arrive only through the address it returned.
        var resolver = new ScriptedResolver(IPAddress.Loopback);
        using var tools = new ToolHarness(Settings("rebind.test", allowPrivate: true), s => s.AddSingleton<IHostResolver>(resolver));

        var result = await tools.RunAsync("http_get", $$"""{"url": "http://rebind.test:{{server.Port}}/page"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("ok", result.Output!["content"]!.GetValue<string>());
        Assert.Equal(1, resolver.Calls);
        Assert.Contains($"Host: rebind.test:{server.Port}", server.LastRequest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_InsideATracedRequest_SendsTheSiteNoTraceContext()
    {
        await using var server = await TinyHttpServer.StartAsync();
        var resolver = new ScriptedResolver(IPAddress.Loopback);
        using var tools = new ToolHarness(Settings("site.test", allowPrivate: true), s => s.AddSingleton<IHostResolver>(resolver));
        // The tool runs inside the API request's activity, which carries the caller's trace id and baggage.
        using var incoming = new System.Diagnostics.Activity("incoming").SetParentId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").AddBaggage("user", "alice").Start();

        var result = await tools.RunAsync("http_get", $$"""{"url": "http://site.test:{{server.Port}}/page"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.DoesNotContain("traceparent", server.LastRequest, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("baggage", server.LastRequest, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("0af7651916cd43dd8448eb211c80319c", server.LastRequest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.5.4", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "shared (CGNAT)")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("::127.0.0.1", "loopback")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00::1", "private (unique local)")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("93.184.216.34", null)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", null)]
    [InlineData("172.32.0.1", null)]
    public void NonPublicKind_Addresses_Classified(string address, string? kind)
    {
        Assert.Equal(kind, HttpAddressPolicy.NonPublicKind(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("utf-7")]
    [InlineData("x-no-such-charset")]
    public async Task ExecuteAsync_UnknownOrDisabledCharset_ShownAsBytesWithANote(string charset)
    {
        var network = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(Encoding.ASCII.GetBytes("Hi Mom -+Jjo--!")) { Headers = { { "Content-Type", $"text/plain; charset={charset}" } } },
        });
        using var tools = new ToolHarness(Settings("docs.example.com"),
            s => s.AddHttpClient(HttpGetTool.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => network));

        var result = await tools.RunAsync("http_get", """{"url": "https://docs.example.com/"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("Hi Mom -+Jjo--!", result.Output!["content"]!.GetValue<string>());
        Assert.Equal($"Charset '{charset}' is unknown or disabled; the body is shown as UTF-8.", result.Output["charset_note"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_UnknownCharsetWithInvalidUtf8_ShownByteForByte()
    {
        var network = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent([0x63, 0x61, 0x66, 0xE9]) { Headers = { { "Content-Type", "text/plain; charset=utf-7" } } },
        });
        using var tools = new ToolHarness(Settings("docs.example.com"),
            s => s.AddHttpClient(HttpGetTool.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => network));

        var result = await tools.RunAsync("http_get", """{"url": "https://docs.example.com/"}""");

        Assert.Equal(ToolExecutionStatus.Success, result.Status);
        Assert.Equal("caf\u00e9", result.Output!["content"]!.GetValue<string>());
        Assert.Equal("Charset 'utf-7' is unknown or disabled; the body is shown as bytes (ISO-8859-1).", result.Output["charset_note"]!.GetValue<string>());
    }

    private sealed class ScriptedResolver(params IPAddress[] addresses) : IHostResolver
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(addresses);
        }
    }

    [Fact]
    public async Task ExecuteAsync_ServerNeverAnswers_TimeoutAtHttpTimeoutOnTheInjectedClock()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var clock = new FakeTimeProvider();
        var settings = Settings("silent.test", allowPrivate: true);
        settings["Tools:HttpTimeout"] = "300";
        settings["Agent:MaxToolTimeout"] = "600";
        using var tools = new ToolHarness(settings,
            s => s.AddSingleton<IHostResolver>(new ScriptedResolver(IPAddress.Loopback)).AddSingleton<TimeProvider>(clock));

        var running = tools.RunAsync("http_get", $$"""{"url": "http://silent.test:{{((IPEndPoint)silent.LocalEndpoint).Port}}/"}""");
        // Connected and waiting for an answer that never comes; the deadline was armed before the request went out.
        using var connection = await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        // Five minutes on the injected clock, none on the real one.
        clock.Advance(TimeSpan.FromSeconds(299.9));
        Assert.False(running.IsCompleted, "the request ended before HTTP_TIMEOUT had passed");
        clock.Advance(TimeSpan.FromSeconds(0.1));
        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ToolExecutionStatus.Timeout, result.Status);
        Assert.Equal("http_get exceeded the 300 s limit (HTTP_TIMEOUT).", result.Error);
    }

    /// <summary>An HTTP/1.1 server on 127.0.0.1 that answers "ok" and counts connections.</summary>
    private sealed class TinyHttpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        private int _connections;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public string LastRequest { get; private set; } = "";

        public static Task<TinyHttpServer> StartAsync()
        {
            var server = new TinyHttpServer();
            server._listener.Start();
            server._loop = server.ServeAsync();
            return Task.FromResult(server);
        }

        private async Task ServeAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    LastRequest = Encoding.ASCII.GetString(buffer, 0, read);
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
            _stop.Dispose();
        }
    }
}
