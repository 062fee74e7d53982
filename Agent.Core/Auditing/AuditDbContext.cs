using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Agent.Core.Auditing;

/// <summary>The audit database. Table and column names follow the seed so its sqlite3 query works unchanged.</summary>
public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public DbSet<RunRecord> Requests => Set<RunRecord>();
    public DbSet<DecisionRecord> Decisions => Set<DecisionRecord>();
    public DbSet<ToolExecutionRecord> ToolExecutions => Set<ToolExecutionRecord>();
    public DbSet<SecurityEventRecord> SecurityEvents => Set<SecurityEventRecord>();
    public DbSet<AuditPruneRecord> Prunes => Set<AuditPruneRecord>();
    public DbSet<ChainHeadRecord> ChainHead => Set<ChainHeadRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AuditDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Fixed-width ISO-8601 UTC text: readable in sqlite3 and sorts chronologically as a string.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<IsoUtcConverter>();
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    private sealed class IsoUtcConverter() : ValueConverter<DateTimeOffset, string>(
        value => AuditTimestamp.ToText(value),
        text => AuditTimestamp.Parse(text));
}
