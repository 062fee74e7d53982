using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Agent.Web.Security;

/// <summary>
/// The current API keys with their roles, and the operator keys of the console, held only as digests. Follows the
/// configuration as it changes (appsettings.json is reloaded on edit), so removing or rotating a key takes effect
/// without a restart; a changed configuration that fails validation is ignored with a warning. When no API key is
/// configured a random admin key named <c>generated</c> is created for this process; <see cref="TakeGeneratedKey"/>
/// hands it out once for printing.
/// </summary>
public sealed partial class ApiKeyStore : IDisposable
{
    public const string GeneratedKeyName = "generated";

    private readonly IConfiguration _configuration;
    private readonly IValidateOptions<ApiKeyOptions> _validator;
    private readonly ILogger<ApiKeyStore> _logger;
    private readonly IDisposable? _reload;
    private readonly string? _generatedKey;
    private volatile KeySet _current;

    public ApiKeyStore(IConfiguration configuration, IOptions<ApiKeyOptions> options, IOptions<ConsoleOptions> console,
        IValidateOptions<ApiKeyOptions> validator, ILogger<ApiKeyStore> logger)
    {
        _configuration = configuration;
        _validator = validator;
        _logger = logger;
        if (!options.Value.ApiKeys.Any(k => !string.IsNullOrEmpty(k.Value)))
        {
            _generatedKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            GeneratedKey = _generatedKey;
        }
        _current = KeySet.Create(options.Value, console.Value, _generatedKey);
        _reload = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>Set only when no key was configured; Program prints it once to the console, never to a log.</summary>
    public string? GeneratedKey { get; private set; }

    public IReadOnlyList<string> Names => _current.ApiKeys.Names;

    /// <summary>Raised after the keys changed; sessions and limits re-check against the new set.</summary>
    public event Action? Changed;

    /// <summary>The matching API key, or null.</summary>
    public KeyIdentity? MatchApiKey(string? presented) => _current.ApiKeys.Match(presented);

    /// <summary>The name of the matching API key, or null.</summary>
    public string? Match(string? presented) => MatchApiKey(presented)?.Name;

    /// <summary>The matching console operator key (Console:OperatorKeys, else the admin API keys), or null.</summary>
    public KeyIdentity? MatchOperator(string? presented) => _current.Operators.Match(presented);

    /// <summary>True while an operator named <paramref name="name"/> exists with the same key as when the stamp was made.</summary>
    public bool IsCurrentOperator(string? name, string? stamp) => _current.Operators.IsCurrent(name, stamp);

    /// <summary>Hands the generated key out once, then forgets it.</summary>
    public string? TakeGeneratedKey()
    {
        var key = GeneratedKey;
        GeneratedKey = null;
        return key;
    }

    private void Reload()
    {
        try
        {
            var keys = _configuration.GetSection(ApiKeyOptions.SectionName).Get<ApiKeyOptions>() ?? new ApiKeyOptions();
            var console = _configuration.GetSection(ConsoleOptions.SectionName).Get<ConsoleOptions>() ?? new ConsoleOptions();
            var validation = _validator.Validate(null, keys);
            if (validation.Failed)
            {
                LogReloadRejected(_logger, validation.FailureMessage);
                return;
            }
            _current = KeySet.Create(keys, console, _generatedKey);
            LogReloaded(_logger, _current.ApiKeys.Count, _current.Operators.Count);
            Changed?.Invoke();
        }
        catch (Exception ex)
        {
            // A half-written file must never take the server down; the previous keys stay in force.
            LogReloadFailed(_logger, ex);
        }
    }

    public void Dispose() => _reload?.Dispose();

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Keys reloaded: {ApiKeys} API key(s), {Operators} console operator(s)")]
    private static partial void LogReloaded(ILogger logger, int apiKeys, int operators);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Changed configuration ignored, the previous keys stay in force: {Failure}")]
    private static partial void LogReloadRejected(ILogger logger, string failure);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Could not reload the keys; the previous keys stay in force")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    /// <summary>One consistent snapshot of the API keys and the operators.</summary>
    private sealed record KeySet(KeyDigests ApiKeys, KeyDigests Operators)
    {
        public static KeySet Create(ApiKeyOptions keys, ConsoleOptions console, string? generatedKey)
        {
            var configured = keys.ApiKeys.Where(k => !string.IsNullOrEmpty(k.Value)).ToList();
            var single = configured.Count <= 1;
            var apiKeys = configured.Count == 0
                ? new KeyDigests([new(GeneratedKeyName, generatedKey ?? "", KeyRoleNames.Admin)])
                : new KeyDigests(configured.Select(k => new KeyEntry(k.Key, k.Value, RoleOf(keys, k.Key, single))));
            var operatorKeys = console.OperatorKeys.Where(k => !string.IsNullOrEmpty(k.Value)).ToList();
            var operators = operatorKeys.Count > 0
                ? new KeyDigests(operatorKeys.Select(k => new KeyEntry(k.Key, k.Value, KeyRoleNames.Admin)))
                : apiKeys.WithRole(KeyRoleNames.Admin);
            return new KeySet(apiKeys, operators);
        }

        /// <summary>The configured role; without one a key is a runner, unless it is the only key (the seed's single-key setup).</summary>
        private static string RoleOf(ApiKeyOptions keys, string name, bool single) =>
            keys.KeyRoles.TryGetValue(name, out var role) && KeyRoleNames.IsValid(role) ? role
            : single ? KeyRoleNames.Admin
            : KeyRoleNames.Runner;
    }
}
