namespace Agent.Core.Auditing;

/// <summary>Records rejected calls in <c>security_events</c>. Never blocks the rejected request.</summary>
public interface ISecurityEventWriter
{
    void Record(SecurityEvent securityEvent);
}

/// <summary>
/// A rejected call. <paramref name="Principal"/> is a key's name when the caller was authenticated; never a key value.
/// An aggregated event stands for <paramref name="Count"/> identical rejections seen from <paramref name="At"/> to <paramref name="WindowEnd"/>.
/// </summary>
public sealed record SecurityEvent(
    DateTimeOffset At,
    int StatusCode,
    string Reason,
    string Method,
    string Route,
    string? ClientIp,
    string? Principal,
    long? Count = null,
    DateTimeOffset? WindowEnd = null);
