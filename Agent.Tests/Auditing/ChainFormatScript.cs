using Agent.Core.Auditing;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Auditing;

/// <summary>
/// The fixed rows of the chain-format fixture (see Fixtures/README.md), written in the same order and with the same
/// values as the program that made <c>Fixtures/main-69a1d63.db</c> with the code at commit 69a1d63.
/// </summary>
internal static class ChainFormatScript
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset T1 = T0.AddDays(30);

    /// <summary>The clock retention and recovery read while the script runs.</summary>
    public static readonly DateTimeOffset Now = T0.AddDays(40);

    public const string A = "00000000-0000-4000-8000-00000000000a";
    public const string B = "00000000-0000-4000-8000-00000000000b";
    public const string C = "00000000-0000-4000-8000-00000000000c";
    public const string D = "00000000-0000-4000-8000-00000000000d";

    /// <summary>Runs A, B, a security event and run C (closed as interrupted): chain entries 1 to 12.</summary>
    public static async Task WriteBeforePruneAsync(IServiceProvider services)
    {
        var writer = services.GetRequiredService<IAuditWriter>();
        var chain = services.GetRequiredService<AuditChain>();

        await writer.StartRunAsync(new RunRecord { Id = A, Input = "List the files in the workspace", Status = "running", Source = "api", Principal = "default", ClientIp = "127.0.0.1", CreatedAt = T0 });
        var dA = await writer.RecordDecisionAsync(new DecisionRecord { RequestId = A, Step = 1, Reasoning = null, SelectedTools = "[{\"id\":\"call_1\",\"name\":\"list_dir\",\"arguments\":{\"path\":\".\"}}]", Model = "local", InputTokens = 12, OutputTokens = 7, LatencyMs = 3, CreatedAt = T0.AddMilliseconds(1) });
        await writer.RecordExecutionAsync(new ToolExecutionRecord { RequestId = A, DecisionId = dA, ToolName = "list_dir", Input = "{\"path\":\".\"}", Output = "{\"entries\":[\"notes.txt\"],\"count\":1}", Status = "success", DurationMs = 2, CreatedAt = T0.AddMilliseconds(2) });
        await writer.RecordDecisionAsync(new DecisionRecord { RequestId = A, Step = 2, Reasoning = "The workspace holds one file.", SelectedTools = "[]", Model = "local", LatencyMs = 1, CreatedAt = T0.AddMilliseconds(3) });
        await writer.CompleteRunAsync(A, "success", "The workspace holds one file.", null, T0.AddMilliseconds(4), 4);

        await writer.StartRunAsync(new RunRecord { Id = B, Input = "Read \"notes.txt\" \\ and café ☕ 𝄞 \t\n\u0001 end", Status = "running", Source = "console", Principal = null, ClientIp = null, CreatedAt = T1 });
        var dB = await writer.RecordDecisionAsync(new DecisionRecord { RequestId = B, Step = 1, Reasoning = "Plan: read it </script>", SelectedTools = "[{\"id\":\"call_1\",\"name\":\"read_file\",\"arguments\":{\"path\":\"notes.txt\"}}]", Model = null, LatencyMs = 0, CreatedAt = T1.AddMilliseconds(1) });
        await writer.RecordExecutionAsync(new ToolExecutionRecord { RequestId = B, DecisionId = dB, ToolName = "read_file", Input = "{\"path\":\"notes.txt\"}", Output = null, Status = "error", Error = "File not found: notes.txt", DurationMs = 0, CreatedAt = T1.AddMilliseconds(2) });
        await writer.CompleteRunAsync(B, "tool_error", null, "A tool failed.", T1.AddMilliseconds(3), 3);

        await chain.AppendAsync(async a =>
        {
            await a.AddSecurityEventAsync(new SecurityEventRecord { CreatedAt = T1.AddSeconds(1), ClientIp = "10.0.0.7", Method = "POST", Route = "/agent/run", StatusCode = 401, Reason = "invalid_api_key", Principal = null });
            return true;
        });

        await writer.StartRunAsync(new RunRecord { Id = C, Input = "Check your health", Status = "running", Source = "api", Principal = "ops", ClientIp = "::1", CreatedAt = T1.AddSeconds(2) });
        await chain.AppendAsync(a => a.CompleteRequestAsync(C, "error", null, "interrupted", T1.AddSeconds(3), null));
    }

    /// <summary>Retention removes run A (entries 1-5) and appends its marker (13); then run D (14-16).</summary>
    public static async Task PruneAndContinueAsync(IServiceProvider services)
    {
        await services.GetRequiredService<AuditRetention>().PruneAsync(T0.AddDays(10));

        var writer = services.GetRequiredService<IAuditWriter>();
        await writer.StartRunAsync(new RunRecord { Id = D, Input = "What time is it?", Status = "running", Source = "api", Principal = "default", ClientIp = "127.0.0.1", CreatedAt = T1.AddSeconds(4) });
        await writer.RecordDecisionAsync(new DecisionRecord { RequestId = D, Step = 1, Reasoning = "No tool needed.", SelectedTools = "[]", Model = "local", InputTokens = 0, OutputTokens = 0, LatencyMs = 0, CreatedAt = T1.AddSeconds(4).AddMilliseconds(1) });
        await writer.CompleteRunAsync(D, "success", "", null, T1.AddSeconds(4).AddMilliseconds(2), 2);
    }

    /// <summary>Every entry as (seq, kind, row id, hash), in chain order.</summary>
    public const string EntriesSql =
        "SELECT seq, 'request' AS kind, id, hash FROM requests " +
        "UNION ALL SELECT completion_seq, 'request_completion', id, completion_hash FROM requests WHERE completion_seq IS NOT NULL " +
        "UNION ALL SELECT seq, 'decision', CAST(id AS TEXT), hash FROM decisions " +
        "UNION ALL SELECT seq, 'tool_execution', CAST(id AS TEXT), hash FROM tool_executions " +
        "UNION ALL SELECT seq, 'security_event', CAST(id AS TEXT), hash FROM security_events " +
        "UNION ALL SELECT seq, 'prune', CAST(id AS TEXT), hash FROM audit_prunes ORDER BY 1";
}
