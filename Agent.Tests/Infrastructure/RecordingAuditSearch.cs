using Agent.Core.Auditing;

namespace Agent.Tests.Infrastructure;

/// <summary>Records every query the console asks and answers with the runs it was given that match the status and tool.</summary>
public sealed class RecordingAuditSearch(params (RunSummary Run, string[] Tools)[] runs) : IAuditSearch
{
    private readonly List<AuditQuery> _queries = [];

    public IReadOnlyList<AuditQuery> Queries { get { lock (_queries) { return _queries.ToArray(); } } }

    public Task<AuditPage<RunSummary>> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        lock (_queries)
        {
            _queries.Add(query);
        }
        var matches = runs
            .Where(r => query.Status is null || r.Run.Status == query.Status)
            .Where(r => query.ToolName is null || r.Tools.Contains(query.ToolName))
            .Select(r => r.Run)
            .ToList();
        return Task.FromResult(new AuditPage<RunSummary>(matches.Skip(query.Offset).Take(query.PageSize).ToList(), matches.Count, query.Page, query.PageSize));
    }
}
