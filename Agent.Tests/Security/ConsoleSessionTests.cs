using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Agent.Tests.Security;

[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class ConsoleSessionTests(BrowserFixture browser)
{
    private const string OperatorKey = "operator-key-0123456789abcdef";

    [Fact]
    public async Task SignOut_RevokesTheSessionServerSide_ACopiedCookieIsDead()
    {
        await using var app = new AgentApplication();
        var baseUrl = app.StartOnRealPort();
        var jar = new CookieContainer();
        using var operatorClient = ConsoleHttp.Client(baseUrl, jar);
        Assert.Equal(HttpStatusCode.Found, (await ConsoleHttp.SignInAsync(operatorClient, AgentApplication.ApiKey)).StatusCode);
        using var thief = ConsoleHttp.WithCookie(baseUrl, ConsoleHttp.SessionCookie(jar, baseUrl));
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/console/export?format=csv")).StatusCode);

        var signOut = await ConsoleHttp.SignOutAsync(operatorClient);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var replay = await thief.GetAsync("/console/export?format=csv");
        Assert.Equal(HttpStatusCode.Found, replay.StatusCode);
        Assert.Equal("/signin", new Uri(baseUrl, replay.Headers.Location!).AbsolutePath);
        Assert.NotEmpty(await app.WaitForRowsAsync("SELECT * FROM security_events WHERE reason = 'session_revoked'", 1));
    }

    [Fact]
    public async Task KeyRemoved_EndsItsSessionsWithinAMinute_OpenCircuitIncluded()
    {
        using var settings = new TempDirectory("agent-settings");
        var file = settings.Combine("keys.json");
        await WriteOperatorsAsync(file, new { ops = OperatorKey });
        await using var app = new AgentApplication { ReloadableSettingsFile = file };
        var baseUrl = app.StartOnRealPort();
        var page = await ConsoleSession.SignInAsync(browser, baseUrl, OperatorKey, "/run");
        var jar = new CookieContainer();
        using var copy = ConsoleHttp.Client(baseUrl, jar);
        Assert.Equal(HttpStatusCode.Found, (await ConsoleHttp.SignInAsync(copy, OperatorKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/console/export?format=csv")).StatusCode);

        var removed = Stopwatch.StartNew();
        await WriteOperatorsAsync(file, new { other = "another-operator-key-0123456789" });

        // The open circuit (no navigation, no reload) is ended and the browser lands on the sign-in page.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin"), new() { Timeout = 60_000 });
        Assert.True(removed.Elapsed < TimeSpan.FromMinutes(1), $"took {removed.Elapsed}");
        Assert.Equal(HttpStatusCode.Found, (await copy.GetAsync("/console/export?format=csv")).StatusCode);
        // And the same cookie cannot bring a circuit back.
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task KeyRotated_SameName_OldSessionIsDead()
    {
        using var settings = new TempDirectory("agent-settings");
        var file = settings.Combine("keys.json");
        await WriteOperatorsAsync(file, new { ops = OperatorKey });
        await using var app = new AgentApplication { ReloadableSettingsFile = file };
        var baseUrl = app.StartOnRealPort();
        using var client = ConsoleHttp.Client(baseUrl);
        await ConsoleHttp.SignInAsync(client, OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console/export?format=csv")).StatusCode);

        await WriteOperatorsAsync(file, new { ops = "rotated-operator-key-0123456789" });

        var status = await Eventually.UntilAsync(async () => (await client.GetAsync("/console/export?format=csv")).StatusCode, s => s != HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the rotated key's session still exports", TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.Found, status);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task PlainRestart_SessionSurvives_SignedOutSessionStaysDead_KeysAreOwnerOnly()
    {
        using var root = new TempDirectory("agent-restart");
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>
        {
            ["AGENT_API_KEY"] = OperatorKey,
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DATABASE_PATH"] = root.Combine("data", "agent.db"),
            ["WORKSPACE_ROOT"] = root.Combine("workspace"),
            ["HOME"] = root.Path,
            ["XDG_DATA_HOME"] = root.Combine("xdg"),
        };
        Directory.CreateDirectory(root.Combine("workspace"));
        var kept = new CookieContainer();
        var ended = new CookieContainer();
        string endedCopy;
        await using (var first = AgentProcess.Start(root.Path, environment))
        {
            await first.WaitUntilHealthyAsync(baseUrl, TimeSpan.FromSeconds(60));
            using var keptClient = ConsoleHttp.Client(baseUrl, kept);
            using var endedClient = ConsoleHttp.Client(baseUrl, ended);
            Assert.Equal(HttpStatusCode.Found, (await ConsoleHttp.SignInAsync(keptClient, OperatorKey)).StatusCode);
            Assert.Equal(HttpStatusCode.Found, (await ConsoleHttp.SignInAsync(endedClient, OperatorKey)).StatusCode);
            endedCopy = ConsoleHttp.SessionCookie(ended, baseUrl);
            await ConsoleHttp.SignOutAsync(endedClient);
        }

        await using var second = AgentProcess.Start(root.Path, environment);
        await second.WaitUntilHealthyAsync(baseUrl, TimeSpan.FromSeconds(60));

        using var afterRestart = ConsoleHttp.Client(baseUrl, kept);
        Assert.Equal(HttpStatusCode.OK, (await afterRestart.GetAsync("/console/export?format=csv")).StatusCode);
        using var replay = ConsoleHttp.WithCookie(baseUrl, endedCopy);
        Assert.Equal(HttpStatusCode.Found, (await replay.GetAsync("/console/export?format=csv")).StatusCode);
        var keys = Directory.GetFiles(root.Combine("data", "keys"), "*.xml");
        Assert.NotEmpty(keys);
        Assert.All(keys.Append(root.Combine("data", "console-sessions.json")),
            f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(root.Combine("data", "keys")));
        Assert.False(Directory.Exists(root.Combine("xdg")) && Directory.EnumerateFiles(root.Combine("xdg"), "*.xml", SearchOption.AllDirectories).Any());
        Assert.False(Directory.Exists(Path.Combine(root.Path, ".aspnet")));
    }

    /// <summary>Replaces the settings file in one step, as an editor saving it would, so no reader sees half a file.</summary>
    private static async Task WriteOperatorsAsync(string file, object operatorKeys)
    {
        var temporary = file + ".tmp";
        await File.WriteAllTextAsync(temporary, System.Text.Json.JsonSerializer.Serialize(new { Console = new { OperatorKeys = operatorKeys } }));
        File.Move(temporary, file, overwrite: true);
    }
}
