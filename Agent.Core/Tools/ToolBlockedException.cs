namespace Agent.Core.Tools;

/// <summary>A tool refused an input by policy (a host or command not on its allowlist); reported as status <c>blocked</c>.</summary>
public sealed class ToolBlockedException(string message) : Exception(message);
