using Microsoft.Extensions.Hosting;

namespace Agent.Core.Sandbox;

/// <summary>Probes the command sandbox at start-up and logs its mode once.</summary>
internal sealed class SandboxStartupLog(CommandSandbox sandbox) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        sandbox.LogStartupMode();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
