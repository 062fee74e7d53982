using System.Security.Cryptography;
using System.Text;

namespace Agent.Web.Security;

/// <summary>A configured key: its name, its value (only until hashed) and its role.</summary>
public sealed record KeyEntry(string Name, string Value, string Role);

/// <summary>
/// Who a matched key is: its name, its role and its stamp. The stamp is derived from the key's digest, so it changes
/// when the key is rotated; sessions carry it and die with the key.
/// </summary>
public sealed record KeyIdentity(string Name, string Role, string Stamp);

/// <summary>
/// Named secrets held only as SHA-256 digests and matched in constant time: every key is compared, and equal-length
/// digests mean neither the key's length nor its prefix leaks through timing.
/// </summary>
public sealed class KeyDigests
{
    private readonly (KeyIdentity Identity, byte[] Digest)[] _keys;

    public KeyDigests(IEnumerable<KeyEntry> keys) : this(keys
        .Where(k => !string.IsNullOrEmpty(k.Value))
        .Select(k => Digest(k.Value) is var digest ? (new KeyIdentity(k.Name, k.Role, StampOf(digest)), digest) : default)
        .ToArray())
    {
    }

    private KeyDigests((KeyIdentity, byte[])[] keys) => _keys = keys;

    public bool IsEmpty => _keys.Length == 0;

    public int Count => _keys.Length;

    public IReadOnlyList<string> Names => _keys.Select(k => k.Identity.Name).ToArray();

    public IEnumerable<KeyIdentity> Identities => _keys.Select(k => k.Identity);

    /// <summary>The subset with <paramref name="role"/>.</summary>
    public KeyDigests WithRole(string role) => new(_keys.Where(k => k.Identity.Role == role).ToArray());

    /// <summary>The matching key, or null.</summary>
    public KeyIdentity? Match(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }
        var digest = Digest(presented);
        KeyIdentity? match = null;
        foreach (var (identity, keyDigest) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, keyDigest))
            {
                match ??= identity;
            }
        }
        return match;
    }

    /// <summary>True while a key named <paramref name="name"/> exists and still has the stamp <paramref name="stamp"/>.</summary>
    public bool IsCurrent(string? name, string? stamp) =>
        name is not null && stamp is not null && _keys.Any(k => k.Identity.Name == name
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(k.Identity.Stamp), Encoding.ASCII.GetBytes(stamp)));

    private static byte[] Digest(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    /// <summary>A keyed hash of the digest: changes with the key, reveals nothing about it.</summary>
    private static string StampOf(byte[] digest) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(digest, "agent-session-stamp"u8)[..16]);
}
