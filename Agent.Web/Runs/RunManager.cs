using System.Collections.Concurrent;
using Agent.Core.Configuration;
using Agent.Core.Runs;
using Microsoft.Extensions.Options;

namespace Agent.Web.Runs;

/// <summary>
/// Starts runs (waited for, or in the background), keeps their live state and event history for status, SSE and
/// cancellation, and forgets finished runs by count, bytes and age (the audit store keeps them for good). Background runs are
/// bounded per key (<c>MAX_BACKGROUND_RUNS_PER_KEY</c>) and overall (<c>MAX_BACKGROUND_RUNS</c>); past either bound
/// a start is refused, not queued.
/// </summary>
public sealed partial class RunManager : IResumedRunHost
{
    private readonly ConcurrentDictionary<string, TrackedRun> _runs = new(StringComparer.Ordinal);
    private readonly AgentRunner _runner;
    private readonly TimeProvider _clock;
    private readonly ILogger<RunManager> _logger;
    private readonly RunEventBroker _broker;
    private readonly FinishedRuns _finished;
    private readonly long _maxHistoryBytes;
    private readonly LimitsOptions _limits;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly Dictionary<string, int> _backgroundPerKey = new(StringComparer.Ordinal);
    private int _background;

    public RunManager(
        AgentRunner runner, RunEventBroker broker, TimeProvider clock, IOptions<LimitsOptions> limits, IOptions<RunLimitsOptions> runLimits,
        ILogger<RunManager> logger, IHostApplicationLifetime? lifetime = null)
    {
        _runner = runner;
        _lifetime = lifetime;
        _limits = limits.Value;
        _clock = clock;
        _logger = logger;
        _finished = new FinishedRuns(runLimits.Value, clock);
        _maxHistoryBytes = runLimits.Value.MaxEventHistoryBytes;
        _broker = broker;
    }

    public TrackedRun? Find(string id) => _runs.GetValueOrDefault(id);

    /// <summary>Finished runs still held in memory, and the bytes their histories and results take.</summary>
    public (int Count, long Bytes) FinishedInMemory => (_finished.Count, _finished.Bytes);

    /// <summary>Runs to the end; <paramref name="cancellationToken"/> (e.g. the client disconnecting) cancels the run.</summary>
    public async Task<RunResult> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var run = Track(request);
        using var link = cancellationToken.Register(() =>
        {
            // A server stopping drops its connections: the run is not the client's to end then, and a pause on an approval resumes after the restart.
            if (_lifetime?.ApplicationStopping.IsCancellationRequested != true)
            {
                run.Cancel($"{request.Principal ?? "the caller"} (the client disconnected)");
            }
        });
        return await ExecuteAsync(run, token => _runner.RunAsync(run.Request, run, token));
    }

    /// <summary>
    /// Tracks a run resumed after a restart (status, SSE, SignalR, cancel) and continues it in the background. It counts
    /// towards the background-run bounds but is never refused: it was admitted before the restart.
    /// </summary>
    public void Resume(ResumedRun resumed)
    {
        var owner = resumed.Request.Principal ?? "";
        lock (_backgroundPerKey)
        {
            _backgroundPerKey[owner] = _backgroundPerKey.GetValueOrDefault(owner) + 1;
            _background++;
        }
        var run = Track(resumed.Request, resumed.CreatedAt);
        _ = Task.Run(async () =>
        {
            try
            {
                await ExecuteAsync(run, token => _runner.ResumeAsync(resumed, run, token));
            }
            catch (Exception)
            {
                // Already logged and reflected in the tracked run's result.
            }
            finally
            {
                Release(owner);
            }
        });
    }

    /// <summary>
    /// Starts the run in the background and returns at once (follow it with <see cref="Find"/>), or refuses it when its
    /// key already has <see cref="LimitsOptions.BackgroundRunsPerKey"/> runs going or the server <see cref="LimitsOptions.BackgroundRuns"/>.
    /// </summary>
    public RunStart Start(RunRequest request)
    {
        var owner = request.Principal ?? "";
        lock (_backgroundPerKey)
        {
            if (_background >= _limits.BackgroundRuns)
            {
                return RunStart.Refused($"Too many background runs: {_limits.BackgroundRuns} are running (MAX_BACKGROUND_RUNS); retry when one finishes");
            }
            var mine = _backgroundPerKey.GetValueOrDefault(owner);
            if (mine >= _limits.BackgroundRunsPerKey)
            {
                return RunStart.Refused($"Too many background runs: this key has {mine} running (MAX_BACKGROUND_RUNS_PER_KEY); retry when one finishes");
            }
            _backgroundPerKey[owner] = mine + 1;
            _background++;
        }
        var run = Track(request);
        _ = Task.Run(async () =>
        {
            try
            {
                await ExecuteAsync(run, token => _runner.RunAsync(run.Request, run, token));
            }
            catch (Exception)
            {
                // Already logged and reflected in the tracked run's result.
            }
            finally
            {
                Release(owner);
            }
        });
        return new RunStart(run, null);
    }

    /// <summary>Background runs going now, overall and for <paramref name="principal"/>.</summary>
    public (int All, int ForKey) BackgroundRuns(string? principal)
    {
        lock (_backgroundPerKey)
        {
            return (_background, _backgroundPerKey.GetValueOrDefault(principal ?? ""));
        }
    }

    private void Release(string owner)
    {
        lock (_backgroundPerKey)
        {
            _background--;
            var left = _backgroundPerKey.GetValueOrDefault(owner) - 1;
            if (left > 0)
            {
                _backgroundPerKey[owner] = left;
            }
            else
            {
                _backgroundPerKey.Remove(owner);
            }
        }
    }

    private TrackedRun Track(RunRequest request, DateTimeOffset? createdAt = null)
    {
        // Only the expired runs are touched, oldest first, so this stays cheap on every start.
        Forget(_finished.Expire());
        // The run's events reach its tracker directly; the tracker passes them on to the cross-run listeners.
        var run = new TrackedRun(request, createdAt ?? _clock.GetUtcNow(), _maxHistoryBytes, _broker);
        _runs[run.Id] = run;
        return run;
    }

    private void Finish(TrackedRun run, RunResult result)
    {
        run.Complete(result, _clock.GetUtcNow());
        Forget(_finished.Add(run));
    }

    private async Task<RunResult> ExecuteAsync(TrackedRun run, Func<CancellationToken, Task<RunResult>> execute)
    {
        // Every log line written while the run executes (runner, executor, tools, providers) carries its id.
        using var scope = RunScope(_logger, run.Id);
        try
        {
            var result = await execute(run.CancellationToken);
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

    private static readonly Func<ILogger, string, IDisposable?> RunScope = LoggerMessage.DefineScope<string>("Run {RunId}");
    /// <summary>A background start: the run, or why it was refused.</summary>
    public sealed record RunStart(TrackedRun? Run, string? Refusal)
    {
        /// <summary>How long a refused caller should wait before trying again.</summary>
        public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

        public static RunStart Refused(string reason) => new(null, reason);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Run {RunId} failed outside the agent loop")]
    private static partial void LogRunCrashed(ILogger logger, Exception exception, string runId);
}
