using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>Resolves a host name to addresses; replaceable in tests.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>
/// <c>http_get</c>'s <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host once, refuses the connection
/// when any address is not public (unless <c>Tools:HttpAllowPrivateNetworks</c>), and connects to exactly the
/// addresses it vetted, so a DNS answer that changes between check and connect (rebinding) cannot redirect it.
/// </summary>
public sealed class HttpConnector(IHostResolver resolver, IOptions<ToolsOptions> options)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"Host '{host}' has no address.");
        }
        if (!options.Value.HttpAllowPrivateNetworks)
        {
            foreach (var address in addresses)
            {
                if (HttpAddressPolicy.NonPublicKind(address) is { } kind)
                {
                    throw new HttpRequestException(
                        $"Host '{host}' resolves to {address}, a {kind} address; http_get connects only to public addresses (HTTP_ALLOW_PRIVATE_NETWORKS).");
                }
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
