using Agent.Core;
using Agent.Core.Auditing;
using Agent.Core.Runs;
using Agent.Web.Configuration;
using Agent.Web.Runs;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor.Services;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// bUnit base for console components: MudBlazor registered once, loose JS interop, and the real core services
/// over a temporary workspace and audit database.
/// </summary>
public abstract class ConsoleTestContext : BunitContext, IAsyncLifetime
{
    private readonly TempDirectory _root = new("agent-bunit");

    protected ConsoleTestContext(IDictionary<string, string?>? settings = null)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:WorkspaceRoot"] = _root.Combine("workspace"),
            ["Agent:DatabasePath"] = _root.Combine("data", "agent.db"),
            ["Llm:Provider"] = "local",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        Configuration = configuration;
        Services.AddLogging();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddAgentCore(configuration);
        Services.AddAgentWebOptions();
        Services.AddSingleton<RunEventBroker>();
        Services.AddSingleton<IRunEventSink>(sp => sp.GetRequiredService<RunEventBroker>());
        Services.AddSingleton<RunManager>();
        Services.AddSingleton<Agent.Web.Components.Audit.ChainStatusMonitor>();
        Services.AddSingleton<Agent.Web.Api.RunRateLimiter>();
        Services.AddScoped<Agent.Web.Security.ConsoleClient>();
        Services.AddScoped<ConsoleRunStarter>();
    }

    protected IConfiguration Configuration { get; }

    protected string WorkspacePath => _root.Combine("workspace");

    protected string DatabasePath => _root.Combine("data", "agent.db");

    /// <summary>Migrates the temporary audit database; call before rendering a component that reads it.</summary>
    protected async Task InitializeDatabaseAsync()
    {
        foreach (var hosted in Services.GetServices<IHostedService>().OfType<AuditDatabaseInitializer>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services are async-disposable only, so the container must be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        _root.Dispose();
    }
}
