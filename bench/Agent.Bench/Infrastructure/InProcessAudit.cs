using Agent.Core;
using Agent.Core.Auditing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agent.Bench.Infrastructure;

/// <summary>
/// The product's own audit services (AddAgentCore) over one database file, without the web host: the real
/// IAuditWriter and AuditQueries, registered exactly as the server registers them.
/// </summary>
public sealed class InProcessAudit : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private InProcessAudit(ServiceProvider services) => _services = services;

    public IAuditWriter Writer => _services.GetRequiredService<IAuditWriter>();
    public AuditQueries Queries => _services.GetRequiredService<AuditQueries>();
    public AuditSearchIndexer SearchIndexer => _services.GetRequiredService<AuditSearchIndexer>();

    /// <summary>Creates the schema with the product's migrations, switches to WAL and starts the chain writer and search indexer, as the server does at start-up.</summary>
    public static async Task<InProcessAudit> OpenAsync(string databasePath, string workspace)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:DatabasePath"] = databasePath,
            ["Agent:WorkspaceRoot"] = workspace,
            ["Llm:Provider"] = "local",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddAgentCore(configuration)
            .BuildServiceProvider();

        // As at the server's start-up: migrations, WAL, the chain writer and the search indexer started.
        await services.GetServices<IHostedService>().OfType<AuditDatabaseInitializer>().Single().StartAsync(CancellationToken.None);
        return new InProcessAudit(services);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
