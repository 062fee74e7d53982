using Microsoft.Extensions.Logging;

namespace Agent.Core.Runs;

/// <summary>The host for resumed runs when nothing tracks runs (the core alone): each continues in the background.</summary>
internal sealed partial class BackgroundResumedRunHost(AgentRunner runner, ILogger<BackgroundResumedRunHost> logger) : IResumedRunHost
{
    public void Resume(ResumedRun run) => _ = Task.Run(async () =>
    {
        try
        {
            await runner.ResumeAsync(run, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, run.Request.RunId);
        }
    });

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Resumed run {RunId} failed outside the agent loop")]
    private static partial void LogFailed(ILogger logger, Exception exception, string runId);
}
