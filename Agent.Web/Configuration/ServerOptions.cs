using Agent.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Agent.Web.Configuration;

/// <summary>
/// The host's part of section <c>Agent</c>: where it listens, what it accepts and from which origins. It shares the
/// section (and the seed's names HOST, PORT, DEBUG, RATE_LIMIT_*, CORS_ORIGINS, MAX_REQUEST_SIZE) with Core's
/// <see cref="AgentOptions"/>, which keeps only what the agent itself reads.
/// </summary>
public sealed class ServerOptions
{
    public const string SectionName = AgentOptions.SectionName;

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8000;

    public bool Debug { get; set; }

    public bool RateLimitEnabled { get; set; } = true;

    /// <summary>Run starts per minute per key.</summary>
    public int RateLimitRequests { get; set; } = 10;

    /// <summary>Comma-separated origins allowed by CORS and on the live channels besides the server's own.</summary>
    public string CorsOrigins { get; set; } = "http://localhost:3000,http://127.0.0.1:3000";

    /// <summary>Bytes one request body may carry, chunked bodies included.</summary>
    public long MaxRequestSize { get; set; } = 1_048_576;

    public IReadOnlyList<string> CorsOriginList =>
        (CorsOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Collects every invalid <see cref="ServerOptions"/> value, each message naming its key.</summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new OptionsFailures(ServerOptions.SectionName);
        failures.Require(!string.IsNullOrWhiteSpace(options.Host), nameof(options.Host), "must not be empty.");
        failures.Require(options.Port is >= 1 and <= 65535, nameof(options.Port), "must be between 1 and 65535.");
        failures.Require(options.RateLimitRequests is >= 1 and <= 1_000_000, nameof(options.RateLimitRequests), "must be between 1 and 1000000.");
        failures.Require(options.MaxRequestSize is >= 1024 and <= 104_857_600, nameof(options.MaxRequestSize), "must be between 1024 and 104857600 bytes.");
        foreach (var origin in options.CorsOriginList)
        {
            failures.Require(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                nameof(options.CorsOrigins), $"contains '{origin}', which is not an http(s) origin.");
        }
        return failures.Result;
    }
}
