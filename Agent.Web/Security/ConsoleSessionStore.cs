using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Agent.Web.Security;

/// <summary>
/// Console sessions held server-side: the cookie carries only a sealed session id, and the session itself lives here,
/// persisted owner-only in the data directory so sessions survive a restart. Signing out removes the session, so a
/// copied cookie is dead from then on.
/// </summary>
public sealed class ConsoleSessionStore(PrivateDataPaths paths, TimeProvider clock) : ITicketStore
{
    /// <summary>Sessions kept at most; the oldest go first (each needs a sign-in, which is rate limited).</summary>
    public const int MaxSessions = 10_000;

    private readonly Lock _lock = new();
    private Dictionary<string, StoredSession>? _sessions;

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = ticket.Principal.FindFirstValue(AgentClaims.SessionId) ?? Guid.NewGuid().ToString("N");
        lock (_lock)
        {
            Save(id, ticket);
        }
        return Task.FromResult(id);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        lock (_lock)
        {
            // A session removed meanwhile (sign-out elsewhere) must not come back through a renewal.
            if (Sessions.ContainsKey(key))
            {
                Save(key, ticket);
            }
        }
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        lock (_lock)
        {
            return Task.FromResult(Sessions.TryGetValue(key, out var session) && session.ExpiresUtc > clock.GetUtcNow()
                ? TicketSerializer.Default.Deserialize(session.Ticket)
                : null);
        }
    }

    public Task RemoveAsync(string key)
    {
        lock (_lock)
        {
            if (Sessions.Remove(key))
            {
                Persist();
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>True while the session exists and has not expired.</summary>
    public bool IsActive(string? sessionId)
    {
        lock (_lock)
        {
            return sessionId is not null && Sessions.TryGetValue(sessionId, out var session) && session.ExpiresUtc > clock.GetUtcNow();
        }
    }

    /// <summary>Called under the lock.</summary>
    private void Save(string id, AuthenticationTicket ticket)
    {
        var now = clock.GetUtcNow();
        foreach (var expired in Sessions.Where(s => s.Value.ExpiresUtc <= now).Select(s => s.Key).ToList())
        {
            Sessions.Remove(expired);
        }
        while (Sessions.Count >= MaxSessions && !Sessions.ContainsKey(id))
        {
            Sessions.Remove(Sessions.MinBy(s => s.Value.ExpiresUtc).Key);
        }
        Sessions[id] = new StoredSession(TicketSerializer.Default.Serialize(ticket), ticket.Properties.ExpiresUtc ?? now.AddHours(8));
        Persist();
    }

    private Dictionary<string, StoredSession> Sessions => _sessions ??= Load();

    private Dictionary<string, StoredSession> Load()
    {
        try
        {
            return File.Exists(paths.ConsoleSessions)
                ? JsonSerializer.Deserialize<Dictionary<string, StoredSession>>(File.ReadAllBytes(paths.ConsoleSessions)) ?? []
                : [];
        }
        catch (JsonException)
        {
            // An unreadable file only costs the operators a new sign-in.
            return [];
        }
    }

    private void Persist() => PrivateDataPaths.WritePrivateFile(paths.ConsoleSessions, JsonSerializer.SerializeToUtf8Bytes(Sessions));

    private sealed record StoredSession(byte[] Ticket, DateTimeOffset ExpiresUtc);
}

/// <summary>The check every console request and every open circuit goes through.</summary>
public static class ConsoleSessionCheck
{
    /// <summary>True while the session exists and the operator's key is still configured, unchanged.</summary>
    public static bool IsValid(ClaimsPrincipal user, ApiKeyStore keys, ConsoleSessionStore sessions) =>
        keys.IsCurrentOperator(user.Name(), user.FindFirstValue(AgentClaims.KeyStamp))
        && sessions.IsActive(user.FindFirstValue(AgentClaims.SessionId));

    /// <summary>Cookie events: every request re-checks the session against the current keys; a dead one is signed out.</summary>
    public static CookieAuthenticationEvents Events() => new()
    {
        OnValidatePrincipal = async context =>
        {
            var services = context.HttpContext.RequestServices;
            if (context.Principal is { } user && IsValid(user, services.GetRequiredService<ApiKeyStore>(), services.GetRequiredService<ConsoleSessionStore>()))
            {
                return;
            }
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthenticationSetup.CookieScheme);
        },
        OnRedirectToLogin = context =>
        {
            var hub = context.Request.Path.StartsWithSegments("/hubs");
            if (context.Request.Cookies.ContainsKey(AuthenticationSetup.CookieName))
            {
                // A cookie that no longer opens a session: signed out, expired, or its key removed or rotated.
                Api.SecurityAudit.RecordRejection(context.HttpContext, StatusCodes.Status401Unauthorized, Core.Auditing.SecurityEventReasons.SessionRevoked);
            }
            else if (hub)
            {
                Api.SecurityAudit.RecordRejection(context.HttpContext, StatusCodes.Status401Unauthorized, Core.Auditing.SecurityEventReasons.MissingApiKey);
            }
            // Pages go to the sign-in form; the hub and script requests get a plain 401.
            if (hub || context.Request.Headers.XRequestedWith == "XMLHttpRequest")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }
            else
            {
                context.Response.Redirect(context.RedirectUri);
            }
            return Task.CompletedTask;
        },
    };
}
