using Agent.Core.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Core.Auditing;

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAgentAudit(this IServiceCollection services)
    {
        services.AddDbContextFactory<AuditDbContext>((sp, db) =>
        {
            var path = Path.GetFullPath(sp.GetRequiredService<IOptions<AgentOptions>>().Value.DatabasePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            db.UseSqlite($"Data Source={path};Default Timeout=30;Pooling=True");
        });
        services.AddSingleton<IAuditWriter, EfAuditWriter>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<AuditStatistics>();
        services.AddHostedService<AuditDatabaseInitializer>();
        return services;
    }
}
