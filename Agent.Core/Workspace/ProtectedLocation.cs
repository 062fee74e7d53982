namespace Agent.Core.Workspace;

/// <summary>
/// A directory the workspace may neither contain nor lie inside, named by the setting that places it (e.g. the
/// data-protection key directory). Register one as a singleton and the start-up layout check covers it.
/// </summary>
public sealed record ProtectedLocation(string Key, string Description, string Path);
