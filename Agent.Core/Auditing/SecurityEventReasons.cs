namespace Agent.Core.Auditing;

/// <summary>Why a call was rejected, as stored in <c>security_events.reason</c>.</summary>
public static class SecurityEventReasons
{
    public const string MissingApiKey = "missing_api_key";
    public const string InvalidApiKey = "invalid_api_key";
    public const string ConsoleSignInFailed = "console_sign_in_failed";
    public const string RateLimited = "rate_limited";
    public const string BodyTooLarge = "body_too_large";
    public const string InvalidBody = "invalid_body";
    /// <summary>Written when the bounded event queue overflowed; the record names how many were lost.</summary>
    public const string EventsDropped = "events_dropped";
}
