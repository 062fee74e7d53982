using Microsoft.AspNetCore.Http;

namespace Agent.Tests.Infrastructure;

/// <summary>A plain page served from another port on 127.0.0.1: the attacker's origin in cross-origin tests.</summary>
public sealed class OtherOriginPage : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private OtherOriginPage(LoopbackServer server) => _server = server;

    public string Url => _server.RootUrl;

    public static async Task<OtherOriginPage> StartAsync() => new(await LoopbackServer.StartAsync(context =>
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync("<!DOCTYPE html><html><head><title>elsewhere</title></head><body>another origin</body></html>");
    }));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
