using Agent.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Core.Auditing;

/// <summary>At start-up: applies migrations, switches to WAL, and closes runs a crash left <c>running</c>.</summary>
public sealed partial class AuditDatabaseInitializer(
    IDbContextFactory<AuditDbContext> contexts,
    TimeProvider clock,
    ILogger<AuditDatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);

        var now = clock.GetUtcNow();
        var interrupted = await db.Requests
            .Where(r => r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, RunStatus.Error)
                .SetProperty(r => r.Error, "interrupted")
                .SetProperty(r => r.CompletedAt, now), cancellationToken);
        if (interrupted > 0)
        {
            LogRecovered(logger, interrupted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Closed {Count} run(s) left running by an earlier crash as error 'interrupted'")]
    private static partial void LogRecovered(ILogger logger, int count);
}
