using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Agent.Core.Auditing;

internal sealed class RunRecordConfiguration : IEntityTypeConfiguration<RunRecord>
{
    public void Configure(EntityTypeBuilder<RunRecord> builder)
    {
        builder.ToTable("requests");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => r.CreatedAt);
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        builder.HasIndex(r => new { r.Principal, r.CreatedAt });
        builder.HasIndex(r => r.Seq).IsUnique();
        builder.HasIndex(r => r.CompletionSeq).IsUnique();
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
        builder.HasIndex(d => d.Seq).IsUnique();
    }
}

internal sealed class ToolExecutionRecordConfiguration : IEntityTypeConfiguration<ToolExecutionRecord>
{
    public void Configure(EntityTypeBuilder<ToolExecutionRecord> builder)
    {
        builder.ToTable("tool_executions");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.RequestId);
        // Covers the tool-name filter's "request_id IN (SELECT request_id ... WHERE tool_name = ?)".
        builder.HasIndex(e => new { e.ToolName, e.RequestId });
        builder.HasIndex(e => e.Seq).IsUnique();
        builder.HasOne<DecisionRecord>().WithMany().HasForeignKey(e => e.DecisionId);
    }
}

internal sealed class SecurityEventRecordConfiguration : IEntityTypeConfiguration<SecurityEventRecord>
{
    public void Configure(EntityTypeBuilder<SecurityEventRecord> builder)
    {
        builder.ToTable("security_events");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.CreatedAt);
        builder.HasIndex(e => e.Seq).IsUnique();
    }
}

internal sealed class AuditPruneRecordConfiguration : IEntityTypeConfiguration<AuditPruneRecord>
{
    public void Configure(EntityTypeBuilder<AuditPruneRecord> builder)
    {
        builder.ToTable("audit_prunes");
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => p.Seq).IsUnique();
    }
}

internal sealed class ChainHeadRecordConfiguration : IEntityTypeConfiguration<ChainHeadRecord>
{
    public void Configure(EntityTypeBuilder<ChainHeadRecord> builder)
    {
        builder.ToTable("audit_chain_head");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
    }
}
