using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agent.Core.Policy;

// Picked up by AuditDbContext.ApplyConfigurationsFromAssembly; these tables are not chained (the executions they explain are).
internal sealed class ApprovalRecordConfiguration : IEntityTypeConfiguration<ApprovalRecord>
{
    public void Configure(EntityTypeBuilder<ApprovalRecord> builder)
    {
        builder.ToTable("approvals");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.Status, a.CreatedAt });
        builder.HasIndex(a => a.RequestId);
    }
}

internal sealed class GrantRecordConfiguration : IEntityTypeConfiguration<GrantRecord>
{
    public void Configure(EntityTypeBuilder<GrantRecord> builder)
    {
        builder.ToTable("grants");
        builder.HasKey(g => g.Id);
        builder.HasIndex(g => new { g.ToolName, g.RuleId });
    }
}
