namespace Agent.Core.Runs;

/// <summary>The model declined or a content filter stopped it; the message quotes the refusal and ends the run as <c>error</c>.</summary>
public sealed class LlmRefusedException(string message) : Exception(message);
