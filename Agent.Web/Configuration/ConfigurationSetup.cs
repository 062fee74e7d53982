namespace Agent.Web.Configuration;

public static class ConfigurationSetup
{
    /// <summary>
    /// appsettings.json &lt; a <c>.env</c> file in the working directory &lt; real environment variables (seed names included)
    /// &lt; command line. Also binds Kestrel to HOST:PORT unless URLs were given explicitly.
    /// </summary>
    public static WebApplicationBuilder AddAgentConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        AddSeedSources(builder.Configuration, args);

        var server = builder.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls($"http://{server.Host}:{server.Port}");
        }
        // Serves MudBlazor's packaged assets under `dotnet run` in any environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        if (server.Debug)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }
        return builder;
    }

    /// <summary>
    /// The sources on top of the defaults, in precedence order: a <c>.env</c> file (never overriding a variable that is
    /// already set), the seed's variable names (PORT, AGENT_API_KEY, ...), then the command line. The server and the
    /// <c>audit verify</c> command share it.
    /// </summary>
    public static void AddSeedSources(IConfigurationBuilder configuration, string[] args)
    {
        var dotEnv = Path.Combine(Directory.GetCurrentDirectory(), ".env");
        if (File.Exists(dotEnv))
        {
            DotNetEnv.Env.NoClobber().Load(dotEnv);
            configuration.AddEnvironmentVariables();
        }
        configuration.Add(new SeedEnvironmentConfigurationSource());
        configuration.AddCommandLine(args);
    }
}
