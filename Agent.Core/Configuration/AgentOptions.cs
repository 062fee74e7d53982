namespace Agent.Core.Configuration;

/// <summary>
/// Section <c>Agent</c>, the agent's part: limits, workspace and storage. Seed environment names map onto these keys. The
/// host's settings in the same section (keys, HOST, PORT, rate limit, CORS, request size) are bound in Agent.Web.
/// </summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

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

    /// <summary>LLM turns allowed in one run before it ends as <c>error</c>.</summary>
    public int MaxSteps { get; set; } = 10;

    /// <summary>Seconds a whole run may take.</summary>
    public int RunTimeout { get; set; } = 300;

    public IReadOnlyList<string> BlockedPermissionList => SplitList(BlockedPermissions);

    public IReadOnlyList<string> DisabledToolList => SplitList(DisabledTools);

    internal static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
