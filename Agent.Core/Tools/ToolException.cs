namespace Agent.Core.Tools;

/// <summary>A tool's own, expected failure (file not found, not a directory); reported as status <c>error</c> with this message.</summary>
public sealed class ToolException(string message) : Exception(message);
