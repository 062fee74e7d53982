using System.Net;
using System.Text.RegularExpressions;

namespace Agent.Tests.Infrastructure;

/// <summary>Signs in to the console over plain HTTP, as a browser's form post would, and keeps the cookie.</summary>
public static partial class ConsoleHttp
{
    /// <summary>A client that does not follow redirects, sharing <paramref name="cookies"/>.</summary>
    public static HttpClient Client(Uri baseUrl, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true })
        {
            BaseAddress = baseUrl,
        };

    /// <summary>Posts the sign-in form; returns the response (302 on success, 200 with an error otherwise).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, string returnUrl = "/")
    {
        var form = await client.GetStringAsync($"/signin?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Form.Key"] = key;
        return await client.PostAsync($"/signin?ReturnUrl={Uri.EscapeDataString(returnUrl)}", new FormUrlEncodedContent(fields));
    }

    /// <summary>Posts the sign-out form of a console page, antiforgery token included, as the Sign out button does.</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/tools");
        var fields = HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        return await client.PostAsync("/signout", new FormUrlEncodedContent(fields));
    }

    /// <summary>A fresh client holding only a copy of <paramref name="cookie"/>: the replayed cookie of a stolen session.</summary>
    public static HttpClient WithCookie(Uri baseUrl, string cookie)
    {
        var jar = new CookieContainer();
        jar.Add(baseUrl, new Cookie("agent-console", cookie));
        return Client(baseUrl, jar);
    }

    /// <summary>The session cookie's value as a browser holds it (to replay it elsewhere, as an attacker would).</summary>
    public static string SessionCookie(CookieContainer cookies, Uri baseUrl) =>
        cookies.GetCookies(baseUrl)["agent-console"]?.Value ?? throw new InvalidOperationException("No console cookie.");

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"\s*/?>""")]
    private static partial Regex HiddenInput();
}
