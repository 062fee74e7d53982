using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Api;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task OpenApiDocument_DescribesEveryRouteAndTheKeyScheme()
    {
        await using var app = new AgentApplication();

        var document = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/health", paths);
        Assert.Contains("/agent/run", paths);
        Assert.Contains("/agent/runs", paths);
        Assert.Contains("/agent/runs/{id}/events", paths);
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("X-API-Key", scheme["name"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/agent/run"]!["post"]!["security"]);
        Assert.Null(document["paths"]!["/health"]!["get"]!["security"]);
        var responses = document["paths"]!["/agent/run"]!["post"]!["responses"]!.AsObject().Select(r => r.Key).ToList();
        Assert.Contains("200", responses);
        Assert.Contains("401", responses);
        Assert.Contains("422", responses);
        Assert.Contains("429", responses);
    }

    [Trait("Category", "Process")]
    [Fact]
    public async Task OpenApiDocument_PassesIndependentValidator()
    {
        await using var app = new AgentApplication();
        using var directory = new TempDirectory();
        var good = Path.Combine(directory.Path, "openapi.json");
        var broken = Path.Combine(directory.Path, "broken.json");
        var json = await app.CreateClient().GetStringAsync("/openapi/v1.json");
        await File.WriteAllTextAsync(good, json);
        var corrupted = JsonNode.Parse(json)!.AsObject();
        corrupted.Remove("info");
        await File.WriteAllTextAsync(broken, corrupted.ToJsonString());

        var (goodExit, goodOutput) = await ValidateAsync(good);
        var (brokenExit, brokenOutput) = await ValidateAsync(broken);

        Assert.True(goodExit == 0, goodOutput);
        Assert.True(JsonDocument.Parse(goodOutput).RootElement.GetProperty("valid").GetBoolean(), goodOutput);
        Assert.NotEqual(0, brokenExit);
        Assert.Contains("info", brokenOutput);
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(string file)
    {
        var start = new ProcessStartInfo(RepositoryPaths.OpenApiValidator, [file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
