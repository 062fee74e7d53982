using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Agent.Web.Security;

/// <summary>The browser behind a console circuit: its address, taken from the circuit's own connection.</summary>
public sealed class ConsoleClient
{
    public string? IpAddress { get; internal set; }
}

/// <summary>Captures the browser's address when the circuit's connection comes up (and again on reconnect).</summary>
public sealed class ConsoleClientCircuitHandler(IHttpContextAccessor http, ConsoleClient client) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (http.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            client.IpAddress = address.ToString();
        }
        return Task.CompletedTask;
    }
}
