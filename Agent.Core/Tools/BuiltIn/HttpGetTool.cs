using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Core.Workspace;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>
/// Fetches an http(s) URL from a host on <c>Tools:HttpAllowedHosts</c>. Redirects are followed by hand, each hop
/// checked against the same allowlist; the body is read up to <c>Tools:HttpMaxResponseSize</c> bytes, within
/// <c>Tools:HttpTimeout</c> seconds. Needs the <c>network</c> permission, which is blocked by default.
/// </summary>
public sealed class HttpGetTool(IHttpClientFactory clients, IOptions<ToolsOptions> options, TimeProvider clock) : AgentTool<HttpGetInput>
{
    /// <summary>The named client; its primary handler never follows redirects by itself.</summary>
    public const string HttpClientName = "agent-tools-http-get";

    private readonly ToolsOptions _options = options.Value;

    public override string Name => "http_get";

    public override string Description => "Fetch a web page or API response by HTTP GET from an allowed host.";

    public override ToolPermission Permissions => ToolPermission.Network;

    public override async Task<JsonNode?> ExecuteAsync(HttpGetInput input, CancellationToken cancellationToken)
    {
        var requested = input.Url;
        var url = Check(requested, redirect: false);

        using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(_options.HttpTimeout), clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var client = clients.CreateClient(HttpClientName);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    if (redirects >= _options.HttpMaxRedirects)
                    {
                        throw new ToolException($"Too many redirects (more than {_options.HttpMaxRedirects}).");
                    }
                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    url = Check(next.ToString(), redirect: true);
                    continue;
                }
                return await ReadAsync(requested, url, response, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolTimeoutException($"http_get exceeded the {_options.HttpTimeout} s limit (HTTP_TIMEOUT).");
        }
        catch (HttpRequestException ex)
        {
            throw new ToolException($"Request to '{url.Host}' failed: {ex.Message}");
        }
    }

    private async Task<JsonObject> ReadAsync(string requested, Uri url, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var (bytes, more) = await ContentSniffer.ReadUpToAsync(body, _options.HttpMaxResponseSize, cancellationToken);
        var result = new JsonObject
        {
            ["url"] = requested,
            ["final_url"] = url.ToString(),
            ["status_code"] = (int)response.StatusCode,
            ["content_type"] = response.Content.Headers.ContentType?.ToString(),
            ["bytes_read"] = bytes.Length,
            ["truncated"] = more,
        };
        if (ContentSniffer.LooksBinary(bytes))
        {
            result["binary"] = true;
            result["message"] = "Binary response; content not shown.";
        }
        else if (CharsetOf(response) is { } encoding)
        {
            result["content"] = encoding.GetString(bytes);
        }
        else
        {
            // An unknown or disabled charset (utf-7 is disabled in .NET): show the bytes rather than fail.
            var charset = response.Content.Headers.ContentType!.CharSet;
            var utf8 = IsUtf8(bytes);
            result["content"] = (utf8 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes);
            result["charset_note"] = $"Charset '{charset}' is unknown or disabled; the body is shown as {(utf8 ? "UTF-8" : "bytes (ISO-8859-1)")}.";
        }
        return result;
    }

    /// <summary>The declared charset's encoding, UTF-8 when none is declared, null when it cannot be used.</summary>
    private static Encoding? CharsetOf(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.CharSet is not { Length: > 0 } charset)
        {
            return Encoding.UTF8;
        }
        var name = charset.Trim('"', ' ');
        if (name.Equals("utf-7", StringComparison.OrdinalIgnoreCase) || name.Equals("utf7", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool IsUtf8(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>Accepts only absolute http(s) URLs without credentials whose host is allowed.</summary>
    private Uri Check(string candidate, bool redirect)
    {
        var what = redirect ? "Redirect target" : "URL";
        // On Unix "/etc/passwd" parses as an absolute file: URI; only a written-out scheme counts as absolute here.
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var url)
            || (url.IsFile && !candidate.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ToolException($"{what} '{candidate}' is not an absolute URL.");
        }
        if (url.Scheme is not ("http" or "https"))
        {
            throw new ToolException($"{what} scheme '{url.Scheme}' is not allowed; only http and https URLs are allowed.");
        }
        if (url.UserInfo.Length > 0)
        {
            throw new ToolException($"{what} must not contain credentials.");
        }
        var host = url.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (!IsAllowed(host))
        {
            throw new ToolBlockedException(redirect
                ? $"Redirect to host '{host}' was refused: it is not on the allowlist (HTTP_ALLOWED_HOSTS)."
                : $"Host '{host}' is not on the allowlist (HTTP_ALLOWED_HOSTS).");
        }
        return url;
    }

    private bool IsAllowed(string host) => _options.HttpAllowedHostList.Any(allowed =>
        allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, allowed, StringComparison.OrdinalIgnoreCase));

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    /// <summary>
    /// The primary handler for <see cref="HttpClientName"/>: no automatic redirects, cookies or proxy (a proxy would
    /// resolve the host itself), no trace context (the API request's trace id and the caller's baggage are not the
    /// fetched site's business), and every connection made by <see cref="HttpConnector"/> to an address it vetted.
    /// </summary>
    internal static HttpMessageHandler CreateHandler(HttpConnector connector) => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ActivityHeadersPropagator = null,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = connector.ConnectAsync,
    };
}
