using Agent.Web.Security;
using Microsoft.Extensions.Options;

namespace Agent.Web.Configuration;

/// <summary>The host's options: bound from the configuration the application was built with, validated at start-up.</summary>
public static class WebOptionsSetup
{
    public static IServiceCollection AddAgentWebOptions(this IServiceCollection services)
    {
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        return services;
    }

    /// <summary>Binds and validates the host's sections now; throws <see cref="OptionsValidationException"/> listing each bad key.</summary>
    public static void ValidateAgentWebOptions(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
    }
}
