using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Agent.Tests.Auditing;
using Agent.Tests.Infrastructure;
using Agent.Web.Api;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Tests.Api;

/// <summary>
/// One validation path for every JSON body: the <see cref="BodyValidation"/> filter on the route groups for bodies that
/// can be read, the exception handler (by exception type, never message text) for bodies that cannot; always 422
/// <c>{"error", "details"}</c>, recorded in security_events.
/// </summary>
public sealed class BodyValidationTests
{
    private static AgentApplication App() => new(new Dictionary<string, string?> { ["Agent:KeyRoles:" + AgentApplication.ApiKeyName] = "admin" });

    [Fact]
    public async Task EveryEndpointThatTakesJson_HasTheValidationFilter()
    {
        await using var app = App();
        app.CreateClient();

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/json") == true)
            .ToList();

        Assert.Equal(["/agent/run", "/agent/runs/", "/approvals/{id}/approve", "/approvals/{id}/deny", "/policy/dry-run"],
            endpoints.Select(e => e.RoutePattern.RawText!).Order(StringComparer.Ordinal));
        Assert.All(endpoints, e => Assert.NotNull(e.Metadata.GetMetadata<BodyValidation.Marker>()));
    }

    [Theory]
    [InlineData("/agent/run")]
    [InlineData("/agent/runs")]
    public async Task OpenApi_RunBody_StaysARequiredAgentRunRequest(string path)
    {
        await using var app = App();

        var document = System.Text.Json.Nodes.JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var body = document["paths"]![path]!["post"]!["requestBody"]!;
        Assert.True(body["required"]!.GetValue<bool>());
        Assert.Equal("""{"$ref":"#/components/schemas/AgentRunRequest"}""", body["content"]!["application/json"]!["schema"]!.ToJsonString());
    }

    [Theory]
    [InlineData("/agent/run", "null", "body: a JSON object is required")]
    [InlineData("/agent/run", "", "body: a JSON object is required")]
    [InlineData("/agent/runs", "null", "body: a JSON object is required")]
    [InlineData("/agent/run", """{"input": "  \t "}""", "input: must not be blank")]
    [InlineData("/agent/run", """{"input": ["a"]}""", "input: wrong type")]
    [InlineData("/agent/runs", """{"input": "list the files" """, "body: malformed JSON")]
    [InlineData("/policy/dry-run", """{"last": 0}""", "last: must be between 1 and 100000")]
    [InlineData("/policy/dry-run", """{"rules": "all"}""", "rules: wrong type")]
    [InlineData("/policy/dry-run", "{\"last\": 1", "body: malformed JSON")]
    [InlineData("/policy/dry-run", "[]", "body: a JSON object is required")]
    [InlineData("/approvals/nope/approve", """{"expires_in_minutes": "soon"}""", "expires_in_minutes: wrong type")]
    public async Task Post_InvalidBody_Is422WithDetailAndRecorded(string path, string json, string detail)
    {
        await using var app = App();

        var response = await app.CreateAuthenticatedClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Invalid request body", body.RootElement.GetProperty("error").GetString());
        Assert.Contains(body.RootElement.GetProperty("details").EnumerateArray(), d => d.GetString()!.StartsWith(detail, StringComparison.Ordinal));
        var row = Assert.Single(await app.WaitForRowsAsync("SELECT * FROM security_events", 1));
        Assert.Equal("invalid_body", row["reason"]);
        Assert.Equal(422L, row["status_code"]);
        Assert.Empty(await app.QueryAsync("SELECT id FROM requests"));
    }

    [Fact]
    public async Task PostDryRun_ValidBody_PassesTheFilter()
    {
        await using var app = App();

        var response = await app.CreateAuthenticatedClient().PostAsJsonAsync("/policy/dry-run", new { rules = Array.Empty<object>(), last = 10 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null, "input: field required")]
    [InlineData("", "input: must be at least 1 character")]
    [InlineData("\n", "input: must not be blank")]
    public void Problems_InvalidRunRequest_NameTheField(string? input, string expected) =>
        Assert.Contains(expected, BodyValidation.Problems(new AgentRunRequest(input), required: true));

    [Fact]
    public void Problems_RunRequestAtAndOverTheLimit()
    {
        Assert.Empty(BodyValidation.Problems(new AgentRunRequest(new string('a', AgentRunRequest.MaxInputLength)), required: true));
        Assert.Equal(["input: must be at most 10000 characters"],
            BodyValidation.Problems(new AgentRunRequest(new string('a', AgentRunRequest.MaxInputLength + 1)), required: true));
    }

    [Fact]
    public void Problems_AbsentOptionalBody_IsValid() => Assert.Empty(BodyValidation.Problems(null, required: false));
}
