namespace Agent.Core.Tools;

/// <summary>A tool hit its own time limit (e.g. a command killed after <c>Tools:CommandTimeout</c>); reported as status <c>timeout</c>.</summary>
public sealed class ToolTimeoutException(string message) : Exception(message);
