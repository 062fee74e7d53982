using System.Net;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// Stands in for the network behind <c>http_get</c>: answers each request with a scripted response and records
/// every URL it was asked for, so a test can prove a refused URL was never requested.
/// </summary>
public sealed class FakeHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly List<Uri> _requests = [];

    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    public static HttpResponseMessage Text(string body, string mediaType = "text/plain") =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) };

    public static HttpResponseMessage Redirect(string location) =>
        new(HttpStatusCode.Found) { Headers = { Location = new Uri(location, UriKind.RelativeOrAbsolute) } };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(request.RequestUri!);
        }
        return Task.FromResult(respond(request));
    }

    // The client factory may dispose handlers it built; the test keeps using this one for its assertions.
    protected override void Dispose(bool disposing)
    {
    }
}
