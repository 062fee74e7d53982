using Agent.Core;
using Agent.Core.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Creates the schema with the product's migrations and switches to WAL, as the server does at start-up.</summary>
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

        var contexts = services.GetRequiredService<IDbContextFactory<AuditDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        return new InProcessAudit(services);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
