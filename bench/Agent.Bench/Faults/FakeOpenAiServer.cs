using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Agent.Bench.Faults;

/// <summary>
/// A broken OpenAI-compatible endpoint on 127.0.0.1: chat completions alternately fail with 500 and hang for longer
/// than the agent's LLM_TIMEOUT. It never answers successfully.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _calls;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public long Calls => Interlocked.Read(ref _calls);
    public Uri BaseUrl => new(_app.Urls.First() + "/v1/");

    public static async Task<FakeOpenAiServer> StartAsync(TimeSpan hang)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var call = Interlocked.Increment(ref server._calls);
            if (call % 2 == 0)
            {
                await Task.Delay(hang, http.RequestAborted);
            }
            http.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
            await http.Response.WriteAsJsonAsync(new { error = new { message = "fake upstream failure", type = "server_error" } });
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
