using System.Security.Cryptography;
using System.Text;
using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// The configured API keys, held as SHA-256 digests and matched in constant time. When none is configured a random
/// key named <c>generated</c> is created for this process; <see cref="GeneratedKey"/> exposes it once for printing.
/// </summary>
public sealed class ApiKeyStore
{
    public const string GeneratedKeyName = "generated";

    private readonly (string Name, byte[] Digest)[] _keys;

    public ApiKeyStore(IOptions<AgentOptions> options)
    {
        var configured = options.Value.ApiKeys.Where(k => !string.IsNullOrEmpty(k.Value)).ToList();
        if (configured.Count == 0)
        {
            GeneratedKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            configured.Add(new(GeneratedKeyName, GeneratedKey));
        }
        _keys = configured.Select(k => (k.Key, Digest(k.Value))).ToArray();
    }

    /// <summary>Set only when no key was configured; Program prints it once to the console, never to a log.</summary>
    public string? GeneratedKey { get; private set; }

    public IReadOnlyList<string> Names => _keys.Select(k => k.Name).ToArray();

    /// <summary>The name of the matching key, or null. Every key is compared so timing reveals nothing.</summary>
    public string? Match(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }
        var digest = Digest(presented);
        string? match = null;
        foreach (var (name, keyDigest) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, keyDigest))
            {
                match ??= name;
            }
        }
        return match;
    }

    /// <summary>Hands the generated key out once, then forgets it.</summary>
    public string? TakeGeneratedKey()
    {
        var key = GeneratedKey;
        GeneratedKey = null;
        return key;
    }

    private static byte[] Digest(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
