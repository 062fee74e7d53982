namespace Agent.Tests.Infrastructure;

/// <summary>Locations in the checkout, found from the test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The npm OpenAPI validator that ./test.sh installs; its absence fails the test with instructions.</summary>
    public static string OpenApiValidator
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("OPENAPI_VALIDATOR") ?? Path.Combine(Root, ".tools", "node_modules", ".bin", "validate-api");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException(
                    $"OpenAPI validator not found at {path}. Run ./test.sh, or: npm install --prefix .tools @seriousme/openapi-schema-validator@2.11.0");
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agent.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Agent.sln not found above the test assembly.");
    }
}
