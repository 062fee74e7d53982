namespace Agent.Core.Policy;

/// <summary>What a rule says about a call.</summary>
public enum PolicyEffect
{
    Allow,
    Ask,
    Deny,
}

public static class PolicyEffects
{
    public static string ToWire(this PolicyEffect effect) => effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.Ask => "ask",
        _ => "deny",
    };

    public static bool TryParse(string? value, out PolicyEffect effect)
    {
        (var ok, effect) = value?.Trim().ToLowerInvariant() switch
        {
            "allow" => (true, PolicyEffect.Allow),
            "ask" => (true, PolicyEffect.Ask),
            "deny" => (true, PolicyEffect.Deny),
            _ => (false, PolicyEffect.Deny),
        };
        return ok;
    }
}
