using Agent.Core.Configuration;
using Agent.Core.Workspace;
using Microsoft.Extensions.Options;

namespace Agent.Web.Configuration;

/// <summary>
/// Refuses a workspace that overlaps anything the server runs from or keeps: its content root and web root, its
/// binaries, the audit database's directory and every registered <see cref="ProtectedLocation"/> (e.g.
/// data-protection keys). Files the agent writes there could become code, configuration, pages or evidence.
/// A workspace below a content root that holds no application files (the operator's current directory, say
/// their home) is allowed: nothing the server reads can be written there.
/// </summary>
public sealed class WorkspaceLayoutValidator(IWebHostEnvironment environment, IEnumerable<ProtectedLocation> protectedLocations)
    : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new OptionsFailures(AgentOptions.SectionName);
        if (string.IsNullOrWhiteSpace(options.WorkspaceRoot) || string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            // AgentOptionsValidator reports the empty value.
            return failures.Result;
        }

        var workspace = PathLayout.RealPath(options.WorkspaceRoot);
        var database = PathLayout.RealPath(options.DatabasePath);
        var databaseDirectory = Path.GetDirectoryName(database)!;

        if (PathLayout.IsSameOrInside(database, workspace))
        {
            failures.Require(false, nameof(options.DatabasePath),
                $"is '{database}', inside the workspace '{workspace}', where the agent could read or replace it; keep the database outside the workspace.");
        }
        else
        {
            RequireApart(failures, workspace, databaseDirectory, "the audit database's directory");
        }
        var contentRoot = PathLayout.RealPath(environment.ContentRootPath);
        RequireApart(failures, workspace, contentRoot, "the application's content root", insideAllowed: !HoldsApplication(contentRoot));
        RequireApart(failures, workspace, PathLayout.RealPath(environment.WebRootPath ?? Path.Combine(contentRoot, "wwwroot")), "the application's web root");
        RequireApart(failures, workspace, PathLayout.RealPath(AppContext.BaseDirectory), "the application's binaries");
        foreach (var location in protectedLocations)
        {
            RequireApart(failures, workspace, PathLayout.RealPath(location.Path), $"{location.Description} ({ConfigurationKeys.Describe(location.Key)})");
        }
        return failures.Result;
    }

    /// <summary>A project or published application: sources the SDK compiles, settings or static files the server reads.</summary>
    private static bool HoldsApplication(string directory) =>
        Directory.Exists(directory) && (Directory.Exists(Path.Combine(directory, "wwwroot"))
            || Directory.EnumerateFiles(directory, "*.csproj").Any()
            || Directory.EnumerateFiles(directory, "appsettings*.json").Any()
            || Directory.EnumerateFiles(directory, "*.dll").Any());

    private static void RequireApart(OptionsFailures failures, string workspace, string other, string what, bool insideAllowed = false)
    {
        var relation = PathLayout.IsSameOrInside(other, workspace) ? (other == workspace ? "is" : "contains")
            : PathLayout.IsSameOrInside(workspace, other) && !insideAllowed ? "lies inside"
            : null;
        failures.Require(relation is null, nameof(AgentOptions.WorkspaceRoot),
            $"is '{workspace}', which {relation} {what} '{other}'; choose a directory apart from it, such as the default '{AgentDataDirectory.DefaultWorkspace}'.");
    }
}
