namespace Agent.Core.Runs;

/// <summary>The model could not be asked (HTTP error after retries, unreachable server, unusable reply); ends the run as <c>error</c>.</summary>
public sealed class LlmCallException(string message, Exception innerException) : Exception(message, innerException);
