using System.Security.Claims;
using System.Text.Encodings.Web;
using Agent.Core.Auditing;
using Agent.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>Authenticates the <c>X-API-Key</c> header; the principal carries the key's name, role and stamp.</summary>
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
        if (keys.MatchApiKey(presented.ToString()) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }
        var principal = new ClaimsPrincipal(AgentClaims.Identity(key, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var message = Request.Headers.ContainsKey(HeaderName) ? "Invalid API key" : "Missing API key: send it in the X-API-Key header";
        Context.RecordRejection(StatusCodes.Status401Unauthorized, Request.Headers.ContainsKey(HeaderName) ? SecurityEventReasons.InvalidApiKey : SecurityEventReasons.MissingApiKey);
        await Response.WriteAsJsonAsync(new ErrorResponse(message));
    }

    /// <summary>A valid key whose role does not allow the route: 403 JSON, recorded.</summary>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Context.RecordRejection(StatusCodes.Status403Forbidden, SecurityEventReasons.RoleForbidden);
        await Response.WriteAsJsonAsync(new ErrorResponse($"Forbidden: the {Context.User.Role() ?? "unknown"} role may not use {Request.Method} {Request.Path}"));
    }
}
