using System.Security.Claims;
using System.Text.Encodings.Web;
using Agent.Core.Auditing;
using Agent.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>Authenticates the <c>X-API-Key</c> header; the principal's name is the key's name.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var name = keys.Match(presented.ToString());
        if (name is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim("key_name", name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var message = Request.Headers.ContainsKey(HeaderName) ? "Invalid API key" : "Missing API key: send it in the X-API-Key header";
        Context.RecordRejection(StatusCodes.Status401Unauthorized, Request.Headers.ContainsKey(HeaderName) ? SecurityEventReasons.InvalidApiKey : SecurityEventReasons.MissingApiKey);
        await Response.WriteAsJsonAsync(new ErrorResponse(message));
    }
}
