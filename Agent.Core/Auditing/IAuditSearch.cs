namespace Agent.Core.Auditing;

/// <summary>The run search behind the console's audit grid (a seam so its tests can see the exact query asked).</summary>
public interface IAuditSearch
{
    Task<AuditPage<RunSummary>> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
