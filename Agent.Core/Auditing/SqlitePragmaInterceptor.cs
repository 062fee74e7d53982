using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Agent.Core.Auditing;

/// <summary>
/// Sets SQLite's own busy timeout on every connection, so a writer waiting for another's lock (the chain writer, the
/// retention job, a second process) sleeps in SQLite instead of failing with "database is locked"; and the configured
/// durability (<see cref="AuditOptions.Synchronous"/>).
/// </summary>
internal sealed class SqlitePragmaInterceptor(string synchronous) : DbConnectionInterceptor
{
    public const int BusyTimeoutMs = 30_000;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection, synchronous);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection, synchronous);
        return Task.CompletedTask;
    }

    /// <summary>The pragmas every audit connection runs with; the chain writer's own connection applies them too.</summary>
    public static void Apply(DbConnection connection, string synchronous)
    {
        using var command = connection.CreateCommand();
        // synchronous is per connection in SQLite, so it is set with the busy timeout on every open.
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = {(string.Equals(synchronous, "normal", StringComparison.OrdinalIgnoreCase) ? "NORMAL" : "FULL")};";
        command.ExecuteNonQuery();
    }
}
