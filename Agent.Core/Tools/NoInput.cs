namespace Agent.Core.Tools;

/// <summary>The input of a tool that takes no arguments: <c>{}</c>, and nothing else.</summary>
public sealed record NoInput;
