using Agent.Web.Runs;

namespace Agent.Web.Hosting;

/// <summary>
/// Keeps an open console from holding shutdown for the whole <c>HostOptions.ShutdownTimeout</c>. When the host stops,
/// SignalR closes the circuits and hub connections it tracks, the browser reconnects at once, and Kestrel's drain then
/// waits for that new long-lived request until the timeout (dotnet/aspnetcore#58947). A run's SSE stream is as
/// long-lived: a run paused on an approval is resumed by the next start-up, not here, so its stream has no end to reach.
/// So once stopping has begun, the live channels are refused with 503 and those still open are aborted (their clients
/// reconnect after the restart; a resumed run replays its events); ordinary requests drain as before.
/// </summary>
public static class LiveConnectionShutdown
{
    private static readonly PathString[] LiveChannels = [new("/_blazor"), new(RunsHub.Path)];

    /// <summary>Under it, <c>/{id}/events</c> is a run's SSE stream.</summary>
    private static readonly PathString RunEvents = new("/agent/runs");

    public static WebApplication UseLiveConnectionShutdown(this WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use(async (context, next) =>
        {
            if (!IsLiveChannel(context.Request.Path))
            {
                await next(context);
                return;
            }
            if (stopping.IsCancellationRequested)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.Connection = "close";
                return;
            }
            await using var abortOnStop = stopping.Register(static state => ((HttpContext)state!).Abort(), context);
            await next(context);
        });
        return app;
    }

    private static bool IsLiveChannel(PathString path) =>
        Array.Exists(LiveChannels, channel => path.StartsWithSegments(channel))
        || (path.StartsWithSegments(RunEvents, out var rest) && rest.Value?.EndsWith("/events", StringComparison.Ordinal) == true);
}
