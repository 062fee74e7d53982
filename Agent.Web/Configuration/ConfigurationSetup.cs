using Agent.Core.Configuration;

namespace Agent.Web.Configuration;

public static class ConfigurationSetup
{
    /// <summary>
    /// appsettings.json &lt; a <c>.env</c> file in the working directory &lt; real environment variables (seed names included)
    /// &lt; command line. Also binds Kestrel to HOST:PORT unless URLs were given explicitly.
    /// </summary>
    public static WebApplicationBuilder AddAgentConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        // .env never overrides a variable that is already set.
        var dotEnv = Path.Combine(Directory.GetCurrentDirectory(), ".env");
        if (File.Exists(dotEnv))
        {
            DotNetEnv.Env.NoClobber().Load(dotEnv);
            builder.Configuration.AddEnvironmentVariables();
        }
        ((IConfigurationBuilder)builder.Configuration).Add(new SeedEnvironmentConfigurationSource());
        builder.Configuration.AddCommandLine(args);

        var agent = builder.Configuration.GetSection(AgentOptions.SectionName).Get<AgentOptions>() ?? new AgentOptions();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls($"http://{agent.Host}:{agent.Port}");
        }
        // Serves MudBlazor's packaged assets under `dotnet run` in any environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        if (agent.Debug)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }
        return builder;
    }
}
