using System.Net;
using System.Net.Sockets;

namespace Agent.Core.Tools.BuiltIn;

/// <summary>
/// Which resolved addresses <c>http_get</c> may connect to: public unicast only, unless private networks are allowed.
/// Loopback, unspecified, private, shared (CGNAT), link-local, unique-local, site-local, multicast and reserved
/// ranges are refused; IPv4-mapped and IPv4-compatible IPv6 addresses are judged by the IPv4 address inside.
/// </summary>
public static class HttpAddressPolicy
{
    /// <summary>Null when <paramref name="address"/> is public, otherwise the kind of address it is.</summary>
    public static string? NonPublicKind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return NonPublicKind(address.MapToIPv4());
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "unspecified",
                10 => "private",
                127 => "loopback",
                100 when b[1] is >= 64 and <= 127 => "shared (CGNAT)",
                169 when b[1] == 254 => "link-local",
                172 when b[1] is >= 16 and <= 31 => "private",
                192 when b[1] == 168 => "private",
                192 when b[1] == 0 && b[2] == 0 => "reserved",
                198 when b[1] is 18 or 19 => "reserved",
                >= 224 and <= 239 => "multicast",
                >= 240 => "reserved",
                _ => null,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
            {
                return "unspecified";
            }
            if (IPAddress.IsLoopback(address))
            {
                return "loopback";
            }
            // ::a.b.c.d (deprecated IPv4-compatible) carries an IPv4 address too.
            if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
            {
                return NonPublicKind(new IPAddress(b.AsSpan(12, 4)));
            }
            return address switch
            {
                { IsIPv6LinkLocal: true } => "link-local",
                { IsIPv6SiteLocal: true } => "site-local",
                { IsIPv6UniqueLocal: true } => "private (unique local)",
                { IsIPv6Multicast: true } => "multicast",
                _ => null,
            };
        }
        return "not IP";
    }
}
