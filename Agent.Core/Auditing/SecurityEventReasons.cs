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
    /// <summary>A valid key whose role does not allow the route (403).</summary>
    public const string RoleForbidden = "role_forbidden";
    /// <summary>A non-admin key approving a call its own key's run asked for (403): separation of duties.</summary>
    public const string OwnRequest = "own_request";
    /// <summary>A run or audit row of another key, answered as if it did not exist (404).</summary>
    public const string NotOwner = "not_owner";
    /// <summary>A live channel (SignalR, SSE, WebSocket) opened from a foreign origin (403).</summary>
    public const string ForeignOrigin = "foreign_origin";
    /// <summary>A SignalR subscription refused: a run the caller may not see, or over the per-connection cap.</summary>
    public const string SubscriptionRefused = "subscription_refused";
    /// <summary>Background runs over the per-key or global bound (429).</summary>
    public const string TooManyRuns = "too_many_runs";
    /// <summary>A console session that is signed out, expired, or whose key was removed or rotated.</summary>
    public const string SessionRevoked = "session_revoked";
    /// <summary>A console circuit (/_blazor) opened without a console session.</summary>
    public const string ConsoleSignInRequired = "console_sign_in_required";
    /// <summary>Written when the bounded event queue overflowed; the record names how many were lost.</summary>
    public const string EventsDropped = "events_dropped";
}
