namespace Agent.Core.Configuration;

/// <summary>The seed's environment variable names and the configuration keys they set.</summary>
public static class ConfigurationKeys
{
    public static readonly IReadOnlyDictionary<string, string> EnvironmentToKey = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AGENT_API_KEY"] = "Agent:ApiKeys:default",
        ["HOST"] = "Agent:Host",
        ["PORT"] = "Agent:Port",
        ["DEBUG"] = "Agent:Debug",
        ["WORKSPACE_ROOT"] = "Agent:WorkspaceRoot",
        ["DATABASE_PATH"] = "Agent:DatabasePath",
        ["MAX_TOOL_TIMEOUT"] = "Agent:MaxToolTimeout",
        ["MAX_OUTPUT_SIZE"] = "Agent:MaxOutputSize",
        ["BLOCKED_PERMISSIONS"] = "Agent:BlockedPermissions",
        ["DISABLED_TOOLS"] = "Agent:DisabledTools",
        ["RATE_LIMIT_ENABLED"] = "Agent:RateLimitEnabled",
        ["RATE_LIMIT_REQUESTS"] = "Agent:RateLimitRequests",
        ["CORS_ORIGINS"] = "Agent:CorsOrigins",
        ["MAX_REQUEST_SIZE"] = "Agent:MaxRequestSize",
        ["MAX_STEPS"] = "Agent:MaxSteps",
        ["RUN_TIMEOUT"] = "Agent:RunTimeout",
        ["MAX_TOOL_CALLS_PER_TURN"] = "RunLimits:MaxToolCallsPerTurn",
        ["MAX_TOOL_CALLS_PER_RUN"] = "RunLimits:MaxToolCallsPerRun",
        ["MAX_TOOL_ARGUMENT_SIZE"] = "RunLimits:MaxToolArgumentBytes",
        ["MAX_RUN_OUTPUT_SIZE"] = "RunLimits:MaxRunOutputBytes",
        ["RUN_EVENTS_MAX_BYTES"] = "RunLimits:MaxEventHistoryBytes",
        ["FINISHED_RUNS_MAX_BYTES"] = "RunLimits:MaxFinishedRunsBytes",
        ["FINISHED_RUNS_MAX"] = "RunLimits:MaxFinishedRuns",
        ["FINISHED_RUNS_KEEP_MINUTES"] = "RunLimits:FinishedRunMinutes",
        ["LLM_PROVIDER"] = "Llm:Provider",
        ["LLM_API_KEY"] = "Llm:ApiKey",
        ["LLM_MODEL"] = "Llm:Model",
        ["LLM_BASE_URL"] = "Llm:BaseUrl",
        ["LLM_TIMEOUT"] = "Llm:RequestTimeout",
        ["LLM_MAX_TOKENS"] = "Llm:MaxOutputTokens",
        ["MAX_READ_SIZE"] = "Tools:MaxReadSize",
        ["MAX_WRITE_SIZE"] = "Tools:MaxWriteSize",
        ["ALLOW_HARD_LINKS"] = "Tools:AllowHardLinks",
        ["WORKSPACE_QUOTA_BYTES"] = "Tools:WorkspaceQuotaBytes",
        ["WORKSPACE_QUOTA_FILES"] = "Tools:WorkspaceQuotaFiles",
        ["SEARCH_MAX_RESULTS"] = "Tools:SearchMaxResults",
        ["HTTP_ALLOWED_HOSTS"] = "Tools:HttpAllowedHosts",
        ["HTTP_TIMEOUT"] = "Tools:HttpTimeout",
        ["HTTP_MAX_RESPONSE_SIZE"] = "Tools:HttpMaxResponseSize",
        ["HTTP_ALLOW_PRIVATE_NETWORKS"] = "Tools:HttpAllowPrivateNetworks",
        ["COMMAND_ALLOWLIST"] = "Tools:CommandAllowlist",
        ["COMMAND_PATH"] = "Tools:CommandPath",
        ["COMMAND_TIMEOUT"] = "Tools:CommandTimeout",
        ["COMMAND_MAX_OUTPUT"] = "Tools:CommandMaxOutput",
        ["SANDBOX"] = "Tools:Sandbox",
        ["SANDBOX_BWRAP_PATH"] = "Tools:SandboxBwrapPath",
        ["SANDBOX_CPU_SECONDS"] = "Tools:SandboxCpuSeconds",
        ["SANDBOX_ADDRESS_SPACE_MB"] = "Tools:SandboxAddressSpaceMb",
        ["SANDBOX_MAX_PROCESSES"] = "Tools:SandboxMaxProcesses",
        ["SANDBOX_MAX_FILE_SIZE_MB"] = "Tools:SandboxMaxFileSizeMb",
        ["SANDBOX_MAX_OPEN_FILES"] = "Tools:SandboxMaxOpenFiles",
        ["AUDIT_RETENTION_DAYS"] = "Audit:RetentionDays",
        ["AUDIT_SYNCHRONOUS"] = "Audit:Synchronous",
        ["RATE_LIMIT_UNAUTHENTICATED"] = "Limits:UnauthenticatedPerMinute",
        ["SECURITY_EVENT_WINDOW"] = "Limits:SecurityEventWindowSeconds",
        ["MAX_SUBSCRIPTIONS_PER_CONNECTION"] = "Limits:SubscriptionsPerConnection",
        ["MAX_BACKGROUND_RUNS_PER_KEY"] = "Limits:BackgroundRunsPerKey",
        ["MAX_BACKGROUND_RUNS"] = "Limits:BackgroundRuns",
        ["CONSOLE_REVALIDATE_SECONDS"] = "Console:RevalidateSeconds",
    };

    /// <summary>Names a configuration key the way the operator set it: <c>PORT (Agent:Port)</c>.</summary>
    public static string Describe(string key)
    {
        foreach (var (env, mapped) in EnvironmentToKey)
        {
            if (string.Equals(mapped, key, StringComparison.OrdinalIgnoreCase))
            {
                return $"{env} ({mapped})";
            }
        }
        return key;
    }
}
