namespace Agent.Web.Security;

/// <summary>Section <c>Console</c>: who may sign in to the operator console.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>Operator keys by name. When empty, the API keys sign in too.</summary>
    public Dictionary<string, string> OperatorKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Hours a console sign-in lasts without activity.</summary>
    public int SessionHours { get; set; } = 8;
}
