using Agent.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Agent.Web.Security;

/// <summary>
/// Two ways in: the <c>X-API-Key</c> header for automation, and a console cookie for operators. Requests that carry
/// the header (or target the API) authenticate and challenge with the key (401 JSON); everything else uses the
/// cookie and is redirected to the sign-in page.
/// </summary>
public static class AuthenticationSetup
{
    public const string SmartScheme = "ApiKeyOrCookie";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";

    public static IServiceCollection AddAgentAuthentication(this IServiceCollection services)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<OperatorSignIn>();
        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "API key or console cookie", options =>
                options.ForwardDefaultSelector = context => IsApiRequest(context) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "agent-console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = SignInPath;
                options.LogoutPath = SignOutPath;
                options.AccessDeniedPath = SignInPath;
                options.SlidingExpiration = true;
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>((cookie, console) =>
            cookie.ExpireTimeSpan = TimeSpan.FromHours(console.Value.SessionHours));

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.ApiKey, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser())
            .AddPolicy(ApiPolicies.Console, policy => policy
                .AddAuthenticationSchemes(CookieScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(ApiPolicies.Operator, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, CookieScheme)
                .RequireAuthenticatedUser());
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>POST /signout: antiforgery-checked, clears the cookie, back to the sign-in page.</summary>
    public static IEndpointRouteBuilder MapSignOut(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignOutPath, async (HttpContext context, IAntiforgery antiforgery) =>
            {
                await antiforgery.ValidateRequestAsync(context);
                await context.SignOutAsync(CookieScheme);
                return TypedResults.LocalRedirect(SignInPath);
            })
            .ExcludeFromDescription()
            .DisableAntiforgery();
        return app;
    }

    private static bool IsApiRequest(HttpContext context) =>
        context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
        || context.Request.Path.StartsWithSegments("/agent")
        // "/audit" itself is the console's audit page; the audit API lives below it.
        || (context.Request.Path.StartsWithSegments("/audit", out var rest) && rest.HasValue && rest != "/");
}
