using System.Collections.Concurrent;
using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// Checks operator keys (Console:OperatorKeys, else the admin API keys) in constant time. Attempts from one client
/// wait their turn, one at a time, and each failure doubles the wait before the answer, up to <see cref="MaxDelay"/>:
/// parallel guesses gain nothing. At most <see cref="LimitsOptions.SignInQueuePerClient"/> attempts may wait.
/// </summary>
public sealed class OperatorSignIn(ApiKeyStore keys, IOptions<LimitsOptions> limits, TimeProvider clock)
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, ClientState> _clients = new(StringComparer.Ordinal);

    /// <summary>The outcome: the operator, or a failure (after the client's delay), or busy when too many attempts wait.</summary>
    public async Task<SignInResult> TryAsync(string? presented, string client, CancellationToken cancellationToken)
    {
        var state = _clients.GetOrAdd(client, _ => new ClientState());
        if (Interlocked.Increment(ref state.Waiting) > limits.Value.SignInQueuePerClient)
        {
            Interlocked.Decrement(ref state.Waiting);
            return SignInResult.Busy;
        }
        try
        {
            await state.Turn.WaitAsync(cancellationToken);
            try
            {
                if (keys.MatchOperator(presented) is { } key)
                {
                    state.Failures = 0;
                    return new SignInResult(key, false);
                }
                var now = clock.GetUtcNow();
                state.Failures = now - state.LastFailure > ForgetAfter ? 1 : state.Failures + 1;
                state.LastFailure = now;
                await Task.Delay(DelayFor(state.Failures), clock, cancellationToken);
                return SignInResult.Failed;
            }
            finally
            {
                state.Turn.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref state.Waiting);
            Forget(client, state);
        }
    }

    public static TimeSpan DelayFor(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures - 1, 10))));

    /// <summary>Drops an idle client without failures, so the table does not grow with every address seen.</summary>
    private void Forget(string client, ClientState state)
    {
        if (Volatile.Read(ref state.Waiting) == 0 && state.Failures == 0)
        {
            _clients.TryRemove(new KeyValuePair<string, ClientState>(client, state));
        }
        if (_clients.Count > 10_000)
        {
            var cutoff = clock.GetUtcNow() - ForgetAfter;
            foreach (var (name, old) in _clients.Where(c => c.Value.LastFailure < cutoff && Volatile.Read(ref c.Value.Waiting) == 0))
            {
                _clients.TryRemove(new KeyValuePair<string, ClientState>(name, old));
            }
        }
    }

    private sealed class ClientState
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public int Waiting;
        public int Failures;
        public DateTimeOffset LastFailure;
    }
}

/// <summary>A sign-in outcome: <see cref="Operator"/> on success; <see cref="IsBusy"/> when the client has too many attempts waiting.</summary>
public sealed record SignInResult(KeyIdentity? Operator, bool IsBusy)
{
    public static readonly SignInResult Failed = new(null, false);
    public static readonly SignInResult Busy = new(null, true);
}
