namespace Agent.Core.Runs;

/// <summary>A run limit was hit (steps, LLM timeout); the message names the limit and ends the run as <c>error</c>.</summary>
public sealed class RunLimitException(string message) : Exception(message);
