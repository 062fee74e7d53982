using Agent.Core.Auditing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Agent.Tests.Infrastructure;

/// <summary>
/// An audit database at the current schema, migrated once per test run and copied into each test's data directory:
/// applying every migration costs about as much CPU as the rest of an application's start. The application still runs
/// its migrations at start-up (then a no-op); a test that puts its own database in place first keeps it.
/// </summary>
internal static class MigratedDatabase
{
    private static readonly Lazy<string> Template = new(Create);

    public static void CopyTo(string databasePath)
    {
        if (File.Exists(databasePath))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        File.Copy(Template.Value, databasePath);
    }

    private static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agent-migrated-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        using (var db = new AuditDbContext(new DbContextOptionsBuilder<AuditDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options))
        {
            db.Database.Migrate();
        }
        SqliteConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    }
}
