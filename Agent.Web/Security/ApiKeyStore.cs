using System.Security.Cryptography;
using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// The configured API keys (as <see cref="KeyDigests"/>). When none is configured a random key named
/// <c>generated</c> is created for this process; <see cref="TakeGeneratedKey"/> hands it out once for printing.
/// </summary>
public sealed class ApiKeyStore
{
    public const string GeneratedKeyName = "generated";

    private readonly KeyDigests _keys;

    public ApiKeyStore(IOptions<AgentOptions> options)
    {
        var configured = options.Value.ApiKeys.Where(k => !string.IsNullOrEmpty(k.Value)).ToList();
        if (configured.Count == 0)
        {
            GeneratedKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            configured.Add(new(GeneratedKeyName, GeneratedKey));
        }
        _keys = new KeyDigests(configured);
    }

    /// <summary>Set only when no key was configured; Program prints it once to the console, never to a log.</summary>
    public string? GeneratedKey { get; private set; }

    public IReadOnlyList<string> Names => _keys.Names;

    /// <summary>The name of the matching key, or null.</summary>
    public string? Match(string? presented) => _keys.Match(presented);

    /// <summary>Hands the generated key out once, then forgets it.</summary>
    public string? TakeGeneratedKey()
    {
        var key = GeneratedKey;
        GeneratedKey = null;
        return key;
    }
}
