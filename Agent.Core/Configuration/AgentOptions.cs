namespace Agent.Core.Configuration;

/// <summary>Section <c>Agent</c>: limits, workspace and storage. Seed environment names map onto these keys.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>API keys by name; the audit records the name, never the value. <c>AGENT_API_KEY</c> becomes <c>default</c>.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Role of each API key by name: <c>runner</c> (the default), <c>auditor</c> or <c>admin</c>. A key without an entry is a
    /// runner, except when it is the only key (e.g. <c>AGENT_API_KEY</c> alone): then it is an admin.
    /// </summary>
    public Dictionary<string, string> KeyRoles { get; set; } = new(StringComparer.Ordinal);

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8000;

    public bool Debug { get; set; }

    /// <summary>The only directory the tools touch. Default: <see cref="AgentDataDirectory.DefaultWorkspace"/>, outside any source tree.</summary>
    public string WorkspaceRoot { get; set; } = AgentDataDirectory.DefaultWorkspace;

    /// <summary>The audit database. Default: <see cref="AgentDataDirectory.DefaultDatabase"/>, beside the workspace, never inside it.</summary>
    public string DatabasePath { get; set; } = AgentDataDirectory.DefaultDatabase;

    /// <summary>Seconds one tool may run before it is abandoned with status <c>timeout</c>.</summary>
    public int MaxToolTimeout { get; set; } = 30;

    /// <summary>Characters of tool output kept; longer output is cut and flagged <c>truncated</c>.</summary>
    public int MaxOutputSize { get; set; } = 10_000;

    /// <summary>Comma-separated permissions no tool may use: read, write, execute, network.</summary>
    public string BlockedPermissions { get; set; } = "network,execute";

    /// <summary>Comma-separated tool names switched off by the operator; they are not offered and not executed.</summary>
    public string DisabledTools { get; set; } = "";

    public bool RateLimitEnabled { get; set; } = true;

    public int RateLimitRequests { get; set; } = 10;

    public string CorsOrigins { get; set; } = "http://localhost:3000,http://127.0.0.1:3000";

    public long MaxRequestSize { get; set; } = 1_048_576;

    /// <summary>LLM turns allowed in one run before it ends as <c>error</c>.</summary>
    public int MaxSteps { get; set; } = 10;

    /// <summary>Seconds a whole run may take.</summary>
    public int RunTimeout { get; set; } = 300;

    public IReadOnlyList<string> CorsOriginList => SplitList(CorsOrigins);

    public IReadOnlyList<string> BlockedPermissionList => SplitList(BlockedPermissions);

    public IReadOnlyList<string> DisabledToolList => SplitList(DisabledTools);

    internal static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
