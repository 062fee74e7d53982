using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Api;

public sealed class AgentRunApiTests
{
    [Fact]
    public async Task PostRun_ListFiles_ReturnsSeedShapeAndAuditsEveryStep()
    {
        await using var app = new AgentApplication();
        File.WriteAllText(Path.Combine(app.WorkspacePath, "notes.txt"), "hello");
        Directory.CreateDirectory(Path.Combine(app.WorkspacePath, "docs"));

        var response = await app.RunAsync("List the files in the workspace");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        var requestId = root.GetProperty("request_id").GetString()!;
        Assert.True(Guid.TryParse(requestId, out _));
        Assert.Equal("success", root.GetProperty("status").GetString());
        Assert.Contains("notes.txt", root.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.EndsWith("Z", root.GetProperty("created_at").GetString());
        Assert.True(root.GetProperty("duration_ms").GetInt64() >= 0);
        var execution = Assert.Single(root.GetProperty("tool_executions").EnumerateArray());
        Assert.Equal("list_dir", execution.GetProperty("tool_name").GetString());
        Assert.Equal("success", execution.GetProperty("status").GetString());
        Assert.Equal(2, execution.GetProperty("output").GetProperty("count").GetInt32());
        Assert.True(execution.GetProperty("duration_ms").GetInt64() >= 0);

        var requests = await app.QueryAsync("SELECT * FROM requests ORDER BY created_at DESC LIMIT 10");
        var row = Assert.Single(requests);
        Assert.Equal(requestId, row["id"]);
        Assert.Equal("success", row["status"]);
        Assert.Equal("api", row["source"]);
        Assert.Equal(AgentApplication.ApiKeyName, row["principal"]);
        var decisions = await app.QueryAsync($"SELECT * FROM decisions WHERE request_id = '{requestId}' ORDER BY step");
        Assert.Equal(2, decisions.Count);
        Assert.Contains("list_dir", (string)decisions[0]["selected_tools"]!);
        var executions = await app.QueryAsync($"SELECT * FROM tool_executions WHERE request_id = '{requestId}'");
        Assert.Equal("list_dir", Assert.Single(executions)["tool_name"]);
        Assert.Equal(decisions[0]["id"], executions[0]["decision_id"]);
    }

    [Fact]
    public async Task PostRun_WithoutKey_Returns401Json()
    {
        await using var app = new AgentApplication();

        var response = await app.CreateClient().PostAsJsonAsync("/agent/run", new { input = "List the files" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("API key", body.RootElement.GetProperty("error").GetString());
        Assert.Empty(await app.QueryAsync("SELECT id FROM requests"));
    }

    [Fact]
    public async Task PostRun_WrongKeyOfSameLength_Returns401()
    {
        await using var app = new AgentApplication();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", new string('x', AgentApplication.ApiKey.Length));

        var response = await app.RunAsync("List the files", client);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid API key", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{}", "input: field required")]
    [InlineData("""{"input": ""}""", "input: must be at least 1 character")]
    [InlineData("""{"input": 42}""", "input")]
    [InlineData("""{"input": """, "body")]
    public async Task PostRun_InvalidBody_Returns422WithDetails(string json, string expectedDetail)
    {
        await using var app = new AgentApplication();

        var response = await app.CreateAuthenticatedClient().PostAsync("/agent/run", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Invalid request body", body.RootElement.GetProperty("error").GetString());
        Assert.Contains(body.RootElement.GetProperty("details").EnumerateArray(), d => d.GetString()!.Contains(expectedDetail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostRun_InputTooLong_Returns422()
    {
        await using var app = new AgentApplication();

        var response = await app.RunAsync(new string('a', 10_001));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }
}
