using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// Checks operator keys (Console:OperatorKeys, else the API keys) in constant time, and slows down repeated
/// failures from one client: each failure doubles the wait before the answer, up to <see cref="MaxDelay"/>.
/// </summary>
public sealed class OperatorSignIn(IOptions<ConsoleOptions> options, ApiKeyStore apiKeys, TimeProvider clock)
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(15);

    private readonly KeyDigests _operatorKeys = new(options.Value.OperatorKeys);
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Last)> _failures = new();

    /// <summary>The operator's name, or null after the client's penalty delay.</summary>
    public async Task<string?> TryAsync(string? presented, string client, CancellationToken cancellationToken)
    {
        var name = Match(presented);
        if (name is not null)
        {
            _failures.TryRemove(client, out _);
            return name;
        }
        var now = clock.GetUtcNow();
        var failures = _failures.AddOrUpdate(client, (1, now), (_, f) => (now - f.Last > ForgetAfter ? 1 : f.Count + 1, now));
        await Task.Delay(DelayFor(failures.Count), clock, cancellationToken);
        return null;
    }

    public static TimeSpan DelayFor(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures - 1, 10))));

    private string? Match(string? presented) => _operatorKeys.IsEmpty ? apiKeys.Match(presented) : _operatorKeys.Match(presented);
}
