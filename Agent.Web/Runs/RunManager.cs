using System.Collections.Concurrent;
using Agent.Core.Runs;

namespace Agent.Web.Runs;

/// <summary>
/// Starts runs (waited for, or in the background), keeps their live state and event history for status, SSE and
/// cancellation, and forgets finished runs after a while (the audit store keeps them for good).
/// </summary>
public sealed partial class RunManager : IDisposable
{
    private static readonly TimeSpan KeepFinished = TimeSpan.FromMinutes(30);
    private const int MaxFinishedKept = 1000;

    private readonly ConcurrentDictionary<string, TrackedRun> _runs = new(StringComparer.Ordinal);
    private readonly AgentRunner _runner;
    private readonly TimeProvider _clock;
    private readonly ILogger<RunManager> _logger;
    private readonly IDisposable _subscription;
    private long _starts;

    public RunManager(AgentRunner runner, RunEventBroker broker, TimeProvider clock, ILogger<RunManager> logger)
    {
        _runner = runner;
        _clock = clock;
        _logger = logger;
        _subscription = broker.Subscribe(e =>
        {
            if (_runs.TryGetValue(e.RunId, out var run))
            {
                run.Append(e);
            }
        });
    }

    public TrackedRun? Find(string id) => _runs.GetValueOrDefault(id);

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
        // Sweeping is O(n log n) over the tracked runs; once every 64 starts keeps it off the hot path.
        if (Interlocked.Increment(ref _starts) % 64 == 0)
        {
            ForgetOldRuns();
        }
        var run = new TrackedRun(request, _clock.GetUtcNow());
        _runs[run.Id] = run;
        return run;
    }

    private async Task<RunResult> ExecuteAsync(TrackedRun run)
    {
        // Every log line written while the run executes (runner, executor, tools, providers) carries its id.
        using var scope = RunScope(_logger, run.Id);
        try
        {
            var result = await _runner.RunAsync(run.Request, run.CancellationToken);
            run.Complete(result, _clock.GetUtcNow());
            return result;
        }
        catch (Exception ex)
        {
            // The runner records its own failures; reaching here means the audit store itself failed.
            LogRunCrashed(_logger, ex, run.Id);
            var failed = new RunResult(run.Id, RunStatus.Error, null, "Internal error: the run could not be recorded.", [], run.CreatedAt,
                (long)(_clock.GetUtcNow() - run.CreatedAt).TotalMilliseconds);
            run.Complete(failed, _clock.GetUtcNow());
            throw;
        }
    }

    private void ForgetOldRuns()
    {
        var cutoff = _clock.GetUtcNow() - KeepFinished;
        var finished = _runs.Values.Where(r => r.FinishedAt is not null).OrderBy(r => r.FinishedAt).ToList();
        var excess = finished.Count - MaxFinishedKept;
        foreach (var run in finished.Where((r, i) => i < excess || r.FinishedAt < cutoff))
        {
            _runs.TryRemove(run.Id, out _);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private static readonly Func<ILogger, string, IDisposable?> RunScope = LoggerMessage.DefineScope<string>("Run {RunId}");

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Run {RunId} failed outside the agent loop")]
    private static partial void LogRunCrashed(ILogger logger, Exception exception, string runId);
}
