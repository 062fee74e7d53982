using Agent.Core.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Core.Auditing;

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAgentAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddDbContextFactory<AuditDbContext>((sp, db) =>
        {
            var path = Path.GetFullPath(sp.GetRequiredService<IOptions<AgentOptions>>().Value.DatabasePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            db.UseSqlite($"Data Source={path};Default Timeout=30;Pooling=True");
            db.AddInterceptors(new SqlitePragmaInterceptor(sp.GetRequiredService<IOptions<AuditOptions>>().Value.Synchronous));
        });
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditSearchIndexer>();
        services.AddSingleton<IAuditWriter, ChainAuditWriter>();
        services.AddSingleton<SecurityEventWriter>();
        services.AddSingleton<ISecurityEventWriter>(sp => sp.GetRequiredService<SecurityEventWriter>());
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<AuditStatistics>();
        services.AddSingleton<IAuditSearch>(sp => sp.GetRequiredService<AuditQueries>());
        services.AddSingleton<AuditChainVerifier>();
        services.AddSingleton<AuditRetention>();
        // Order matters. Hosted services start in this order and stop in reverse: the chain writer stops last, after
        // everything that appends to it, and writes what is queued; the database is migrated and recovered before
        // anything else writes to it; the search index catches up before anything is served.
        services.AddHostedService(sp => sp.GetRequiredService<AuditChain>());
        services.AddHostedService<AuditDatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditSearchIndexer>());
        services.AddHostedService(sp => sp.GetRequiredService<SecurityEventWriter>());
        services.AddHostedService<AuditRetentionService>();
        return services;
    }
}
