using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
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
        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var name = await Operators.TryAsync(Form!.Key, client, HttpContext.RequestAborted);
        if (name is null)
        {
            HttpContext.RecordRejection(StatusCodes.Status401Unauthorized, SecurityEventReasons.ConsoleSignInFailed);
            Error = "That operator key is not valid.";
            return;
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim("signin", "console")], AuthenticationSetup.CookieScheme);
        await HttpContext.SignInAsync(AuthenticationSetup.CookieScheme, new ClaimsPrincipal(identity));
        Navigation.NavigateTo(SafeReturnUrl(ReturnUrl), forceLoad: true);
    }

    /// <summary>Only local paths: an open redirect would let a phishing link bounce operators elsewhere.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";

    public sealed class SignInForm
    {
        [Required(ErrorMessage = "Enter your operator key.")]
        public string? Key { get; set; }
    }
}
