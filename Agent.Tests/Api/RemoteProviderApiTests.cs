using System.Net;
using System.Text.Json;
using Agent.Tests.Infrastructure;

namespace Agent.Tests.Api;

public sealed class RemoteProviderApiTests
{
    [Fact]
    public async Task PostRun_OpenAiCompatibleWithShippedEmptyModel_UsesProviderDefaultAndSucceeds()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        llm.Enqueue(FakeReply.Call("list_dir", """{"path":"."}"""), FakeReply.Text("One file."));
        // appsettings.json ships "Model": "" and "BaseUrl": ""; only the provider and its endpoint are set here.
        await using var app = new AgentApplication(new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:BaseUrl"] = llm.BaseUrl,
        });

        var response = await app.RunAsync("List the files");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.Equal("One file.", body.GetProperty("output").GetString());
        Assert.Equal("default", llm.Requests[0].Body["model"]!.GetValue<string>());
    }
}
