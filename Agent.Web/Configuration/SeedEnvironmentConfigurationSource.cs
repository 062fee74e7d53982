using Agent.Core.Configuration;

namespace Agent.Web.Configuration;

/// <summary>
/// Reads the seed's environment variable names (PORT, AGENT_API_KEY, ...) onto their configuration keys,
/// so operators of the original Python agent keep their .env files unchanged.
/// </summary>
public sealed class SeedEnvironmentConfigurationSource : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider();

    private sealed class Provider : ConfigurationProvider
    {
        public override void Load()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (variable, key) in ConfigurationKeys.EnvironmentToKey)
            {
                if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
                {
                    data[key] = value;
                }
            }
            Data = data;
        }
    }
}
