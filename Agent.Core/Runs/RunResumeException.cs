namespace Agent.Core.Runs;

/// <summary>A run paused on an approval cannot continue after a restart; the message says why and ends it as <c>error</c>.</summary>
public sealed class RunResumeException(string reason) : Exception($"Could not resume the run after a restart: {reason}.");
