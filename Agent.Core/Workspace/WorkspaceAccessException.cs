namespace Agent.Core.Workspace;

/// <summary>A path that would leave the workspace, or may not be touched. Tools report it as status <c>error</c>.</summary>
public sealed class WorkspaceAccessException(string message) : Exception(message);
