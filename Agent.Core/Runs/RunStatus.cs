namespace Agent.Core.Runs;

/// <summary>Run statuses as stored and returned.</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Success = "success";
    public const string ToolError = "tool_error";
    public const string Error = "error";
}
