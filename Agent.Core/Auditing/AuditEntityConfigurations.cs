using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agent.Core.Auditing;

internal sealed class RequestRecordConfiguration : IEntityTypeConfiguration<RequestRecord>
{
    public void Configure(EntityTypeBuilder<RequestRecord> builder)
    {
        builder.ToTable("requests");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => r.CreatedAt);
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        builder.HasMany(r => r.Decisions).WithOne().HasForeignKey(d => d.RequestId);
        builder.HasMany(r => r.ToolExecutions).WithOne().HasForeignKey(e => e.RequestId);
    }
}

internal sealed class DecisionRecordConfiguration : IEntityTypeConfiguration<DecisionRecord>
{
    public void Configure(EntityTypeBuilder<DecisionRecord> builder)
    {
        builder.ToTable("decisions");
        builder.HasKey(d => d.Id);
        builder.HasIndex(d => new { d.RequestId, d.Step });
    }
}

internal sealed class ToolExecutionRecordConfiguration : IEntityTypeConfiguration<ToolExecutionRecord>
{
    public void Configure(EntityTypeBuilder<ToolExecutionRecord> builder)
    {
        builder.ToTable("tool_executions");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.RequestId);
        builder.HasIndex(e => new { e.ToolName, e.CreatedAt });
        builder.HasOne<DecisionRecord>().WithMany().HasForeignKey(e => e.DecisionId);
    }
}
