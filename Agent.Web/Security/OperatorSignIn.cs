using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
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

    private readonly (string Name, byte[] Digest)[] _operatorKeys = options.Value.OperatorKeys
        .Where(k => !string.IsNullOrEmpty(k.Value))
        .Select(k => (k.Key, SHA256.HashData(Encoding.UTF8.GetBytes(k.Value))))
        .ToArray();
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

    private string? Match(string? presented)
    {
        if (_operatorKeys.Length == 0)
        {
            return apiKeys.Match(presented);
        }
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var (name, keyDigest) in _operatorKeys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, keyDigest))
            {
                match ??= name;
            }
        }
        return match;
    }
}
