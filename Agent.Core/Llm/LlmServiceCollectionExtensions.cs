using Agent.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Core.Llm;

public static class LlmServiceCollectionExtensions
{
    public static IServiceCollection AddAgentLlm(this IServiceCollection services)
    {
        services.AddHttpClient(ChatServiceFactory.HttpClientName, (sp, client) =>
            {
                // The per-call deadline is the orchestrator's; the client must not cut it shorter.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(500);
                resilience.Retry.ShouldRetryAfterHeader = true;
            });
        services.AddSingleton<ToolFunctionCatalog>();
        services.AddSingleton(sp => ChatServiceFactory.Create(sp.GetRequiredService<IOptions<LlmOptions>>(), sp.GetRequiredService<IHttpClientFactory>()));
        return services;
    }
}
