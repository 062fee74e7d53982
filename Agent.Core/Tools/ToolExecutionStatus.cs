namespace Agent.Core.Tools;

/// <summary>How one tool call ended. Serialised snake_case: <c>invalid_input</c>, <c>unknown_tool</c>.</summary>
public enum ToolExecutionStatus
{
    Success,
    Error,
    Timeout,
    Blocked,
    InvalidInput,
    UnknownTool,
}

public static class ToolExecutionStatusNames
{
    public static string ToWire(this ToolExecutionStatus status) => status switch
    {
        ToolExecutionStatus.Success => "success",
        ToolExecutionStatus.Error => "error",
        ToolExecutionStatus.Timeout => "timeout",
        ToolExecutionStatus.Blocked => "blocked",
        ToolExecutionStatus.InvalidInput => "invalid_input",
        ToolExecutionStatus.UnknownTool => "unknown_tool",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
