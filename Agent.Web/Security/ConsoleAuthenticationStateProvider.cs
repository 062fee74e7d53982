using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Agent.Web.Security;

/// <summary>
/// Re-checks an open console circuit every <see cref="ConsoleOptions.RevalidateSeconds"/> against the current keys and
/// sessions: a signed-out session or a removed or rotated key turns the circuit anonymous, and the console sends the
/// browser to the sign-in page.
/// </summary>
public sealed class ConsoleAuthenticationStateProvider(
    ILoggerFactory loggerFactory, ApiKeyStore keys, ConsoleSessionStore sessions, IOptions<ConsoleOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(options.Value.RevalidateSeconds);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(ConsoleSessionCheck.IsValid(authenticationState.User, keys, sessions));
}
