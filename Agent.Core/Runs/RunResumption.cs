using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Core.Runs;

/// <summary>
/// At start-up, after the audit sweep and the orphan-approval sweep: hands every run claimed by
/// <see cref="ResumableRuns"/> to the <see cref="IResumedRunHost"/>, which waits again on its approval and continues it.
/// </summary>
public sealed partial class RunResumption(ResumableRuns resumable, RunResumeLoader loader, IResumedRunHost host, ILogger<RunResumption> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var ticket in resumable.Claimed)
        {
            if (await loader.LoadAsync(ticket, cancellationToken) is not { } run)
            {
                LogMissing(logger, ticket.RunId);
                continue;
            }
            LogResuming(logger, ticket.RunId, ticket.ApprovalId);
            host.Resume(run);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Resuming run {RunId}, paused on approval {ApprovalId} when the server stopped")]
    private static partial void LogResuming(ILogger logger, string runId, string approvalId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Run {RunId} was claimed for resumption but its request row is gone")]
    private static partial void LogMissing(ILogger logger, string runId);
}
