using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using Agent.Core.Auditing;
using Agent.Web.Api;
using Agent.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;

namespace Agent.Web.Components.Account;

public sealed partial class SignIn
{
    [Inject] public required OperatorSignIn Operators { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }

    [CascadingParameter] public HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "signin")]
    public SignInForm? Form { get; set; }

    /// <summary>From the query string; the form posts back to the same URL, so it survives the post.</summary>
    [SupplyParameterFromQuery(Name = "ReturnUrl")]
    public string? ReturnUrl { get; set; }

    internal string? Error { get; private set; }

    protected override void OnInitialized() => Form ??= new();

    private async Task SignInAsync()
    {
        var client = UnauthenticatedRequestLimit.PartitionOf(HttpContext.Connection.RemoteIpAddress);
        var result = await Operators.TryAsync(Form!.Key, client, HttpContext.RequestAborted);
        if (result.Operator is not { } key)
        {
            HttpContext.RecordRejection(result.IsBusy ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized,
                result.IsBusy ? SecurityEventReasons.RateLimited : SecurityEventReasons.ConsoleSignInFailed);
            Error = result.IsBusy ? "Too many sign-in attempts at once; wait for the previous ones." : "That operator key is not valid.";
            return;
        }
        // A fresh session id per sign-in: the session store keys on it, and sign-out deletes it server-side.
        var identity = AgentClaims.Identity(key, AuthenticationSetup.CookieScheme, sessionId: Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var target = SafeReturnUrl(ReturnUrl);
        // On the login path the cookie handler redirects by itself; given no RedirectUri it would use the raw ReturnUrl.
        await HttpContext.SignInAsync(AuthenticationSetup.CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { RedirectUri = target });
        Navigation.NavigateTo(target, forceLoad: true);
    }

    /// <summary>
    /// Only local paths: an open redirect would let a phishing link bounce operators elsewhere. The result is
    /// percent-encoded ASCII, because a redirect's Location header cannot carry anything else.
    /// </summary>
    internal static string SafeReturnUrl(string? returnUrl)
    {
        if (returnUrl is not { Length: > 0 } url || !url.StartsWith('/') || url.StartsWith("//", StringComparison.Ordinal)
            || url.StartsWith("/\\", StringComparison.Ordinal) || url.Any(char.IsControl))
        {
            return "/";
        }
        var local = new Uri(LocalBase, url);
        var escaped = local.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        // Dot segments can collapse "/.//host" into "//host", which a browser would read as another site.
        return local.Host == LocalBase.Host && local.Scheme == LocalBase.Scheme && local.Port == LocalBase.Port
            && escaped.StartsWith('/') && !escaped.StartsWith("//", StringComparison.Ordinal) && !escaped.StartsWith("/\\", StringComparison.Ordinal)
            ? escaped
            : "/";
    }

    private static readonly Uri LocalBase = new("http://console.invalid/");

    public sealed class SignInForm
    {
        [Required(ErrorMessage = "Enter your operator key.")]
        public string? Key { get; set; }
    }
}
