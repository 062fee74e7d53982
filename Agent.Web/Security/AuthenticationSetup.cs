using Agent.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// Two ways in: the <c>X-API-Key</c> header for automation (API routes and the SignalR hub only), and a console cookie
/// for operators. The header never authenticates a console page. Console sessions live server-side and are re-checked
/// on every request and every few seconds in an open circuit.
/// </summary>
public static class AuthenticationSetup
{
    public const string SmartScheme = "ApiKeyOrCookie";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "agent-console";
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";

    public static IServiceCollection AddAgentAuthentication(this IServiceCollection services)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<OperatorSignIn>();
        services.AddSingleton<PrivateDataPaths>();
        services.AddSingleton<ConsoleSessionStore>();

        services.AddDataProtection().SetApplicationName("agent-console");
        services.AddOptions<KeyManagementOptions>().Configure<PrivateDataPaths>((keys, paths) =>
        {
            PrivateDataPaths.EnsureDirectory(paths.DataDirectory);
            PrivateDataPaths.EnsureDirectory(paths.DataProtectionKeys);
            keys.XmlRepository = new PrivateXmlRepository(paths.DataProtectionKeys);
        });

        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "API key or console cookie", options =>
                options.ForwardDefaultSelector = context => UsesApiKey(context) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = SignInPath;
                options.LogoutPath = SignOutPath;
                options.AccessDeniedPath = SignInPath;
                options.SlidingExpiration = true;
                options.Events = ConsoleSessionCheck.Events();
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<ConsoleOptions>, ConsoleSessionStore>((cookie, console, sessions) =>
        {
            cookie.ExpireTimeSpan = TimeSpan.FromHours(console.Value.SessionHours);
            cookie.SessionStore = sessions;
        });

        var console = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(CookieScheme).RequireAuthenticatedUser().Build();
        services.AddAuthorizationBuilder()
            // Console pages ([Authorize]) accept only a console session, never an API key.
            .SetDefaultPolicy(console)
            .AddPolicy(ApiPolicies.ApiKey, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser())
            .AddPolicy(ApiPolicies.StartRuns, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireRole(KeyRoleNames.Runner, KeyRoleNames.Admin))
            .AddPolicy(ApiPolicies.LiveRuns, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireRole(KeyRoleNames.Runner, KeyRoleNames.Admin, KeyRoleNames.Operator))
            .AddPolicy(ApiPolicies.WholeAudit, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireRole(KeyRoleNames.Auditor, KeyRoleNames.Admin))
            .AddPolicy(ApiPolicies.Console, console)
            // The hub: the key when one is sent, else the console cookie; one scheme answers each refusal.
            .AddPolicy(ApiPolicies.Operator, policy => policy
                .AddAuthenticationSchemes(SmartScheme)
                .RequireRole(KeyRoleNames.Runner, KeyRoleNames.Admin, KeyRoleNames.Operator));
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<ConsoleClient>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, ConsoleClientCircuitHandler>());
        return services;
    }

    /// <summary>After AddInteractiveServerComponents: open circuits re-check their session against the current keys.</summary>
    public static IServiceCollection AddConsoleSessionRevalidation(this IServiceCollection services) =>
        services.AddScoped<AuthenticationStateProvider, ConsoleAuthenticationStateProvider>();

    /// <summary>POST /signout: antiforgery-checked, ends the session server-side, back to the sign-in page.</summary>
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

    /// <summary>The key authenticates the API and the hub only; everything else is the console and uses the cookie.</summary>
    private static bool UsesApiKey(HttpContext context)
    {
        var path = context.Request.Path;
        return path.StartsWithSegments("/agent")
            // "/audit" itself is the console's audit page; the audit API lives below it.
            || (path.StartsWithSegments("/audit", out var rest) && rest.HasValue && rest != "/")
            || (path.StartsWithSegments("/hubs") && context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName));
    }
}
