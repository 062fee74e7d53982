using System.Security.Cryptography;
using System.Text;

namespace Agent.Web.Security;

/// <summary>
/// Named secrets held only as SHA-256 digests and matched in constant time: every key is compared, and equal-length
/// digests mean neither the key's length nor its prefix leaks through timing.
/// </summary>
public sealed class KeyDigests(IEnumerable<KeyValuePair<string, string>> keys)
{
    private readonly (string Name, byte[] Digest)[] _keys = keys
        .Where(k => !string.IsNullOrEmpty(k.Value))
        .Select(k => (k.Key, Digest(k.Value)))
        .ToArray();

    public bool IsEmpty => _keys.Length == 0;

    public IReadOnlyList<string> Names => _keys.Select(k => k.Name).ToArray();

    /// <summary>The name of the matching key, or null.</summary>
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

    private static byte[] Digest(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
