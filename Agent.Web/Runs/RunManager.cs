using System.Collections.Concurrent;
using Agent.Core.Configuration;
using Agent.Core.Runs;
using Microsoft.Extensions.Options;

namespace Agent.Web.Runs;

/// <summary>
/// Starts runs (waited for, or in the background), keeps their live state and event history for status, SSE and
/// cancellation, and forgets finished runs by count, bytes and age (the audit store keeps them for good).
/// </summary>
public sealed partial class RunManager : IDisposable
{
    private readonly ConcurrentDictionary<string, TrackedRun> _runs = new(StringComparer.Ordinal);
    private readonly AgentRunner _runner;
    private readonly TimeProvider _clock;
    private readonly ILogger<RunManager> _logger;
    private readonly IDisposable _subscription;
    private readonly FinishedRuns _finished;
    private readonly long _maxHistoryBytes;

    public RunManager(AgentRunner runner, RunEventBroker broker, IOptions<RunLimitsOptions> limits, TimeProvider clock, ILogger<RunManager> logger)
    {
        _runner = runner;
        _clock = clock;
        _logger = logger;
        _finished = new FinishedRuns(limits.Value, clock);
        _maxHistoryBytes = limits.Value.MaxEventHistoryBytes;
        _subscription = broker.Subscribe(e =>
        {
            if (_runs.TryGetValue(e.RunId, out var run))
            {
                run.Append(e);
            }
        });
    }

    public TrackedRun? Find(string id) => _runs.GetValueOrDefault(id);

    /// <summary>Finished runs still held in memory, and the bytes their histories and results take.</summary>
    public (int Count, long Bytes) FinishedInMemory => (_finished.Count, _finished.Bytes);

    /// <summary>Runs to the end; <paramref name="cancellationToken"/> (e.g. the client disconnecting) cancels the run.</summary>
    public async Task<RunResult> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var run = Track(request);
        using var link = cancellationToken.Register(run.Cancel);
        return await ExecuteAsync(run);
    }

    /// <summary>Starts the run in the background and returns at once; follow it with <see cref="Find"/>.</summary>
    public TrackedRun Start(RunRequest request)
    {
        var run = Track(request);
        _ = Task.Run(async () =>
        {
            try
            {
                await ExecuteAsync(run);
            }
            catch (Exception)
            {
                // Already logged and reflected in the tracked run's result.
            }
        });
        return run;
    }

    private TrackedRun Track(RunRequest request)
    {
        // Only the expired runs are touched, oldest first, so this stays cheap on every start.
        Forget(_finished.Expire());
        var run = new TrackedRun(request, _clock.GetUtcNow(), _maxHistoryBytes);
        _runs[run.Id] = run;
        return run;
    }

    private void Finish(TrackedRun run, RunResult result)
    {
        run.Complete(result, _clock.GetUtcNow());
        Forget(_finished.Add(run));
    }

    private async Task<RunResult> ExecuteAsync(TrackedRun run)
    {
        try
        {
            var result = await _runner.RunAsync(run.Request, run.CancellationToken);
            Finish(run, result);
            return result;
        }
        catch (Exception ex)
        {
            // The runner records its own failures; reaching here means the audit store itself failed.
            LogRunCrashed(_logger, ex, run.Id);
            var failed = new RunResult(run.Id, RunStatus.Error, null, "Internal error: the run could not be recorded.", [], run.CreatedAt,
                (long)(_clock.GetUtcNow() - run.CreatedAt).TotalMilliseconds);
            Finish(run, failed);
            throw;
        }
    }

    private void Forget(IReadOnlyList<TrackedRun> runs)
    {
        foreach (var run in runs)
        {
            _runs.TryRemove(run.Id, out _);
        }
    }

    public void Dispose() => _subscription.Dispose();

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Run {RunId} failed outside the agent loop")]
    private static partial void LogRunCrashed(ILogger logger, Exception exception, string runId);
}
