using System.Net;
using System.Net.Sockets;

namespace Agent.Testing;

public static class FreePort
{
    /// <summary>A port the kernel just handed out on 127.0.0.1; free unless someone races us for it.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
