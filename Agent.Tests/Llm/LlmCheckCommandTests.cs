using Agent.Tests.Infrastructure;
using Agent.Web.Cli;

namespace Agent.Tests.Llm;

/// <summary><c>llm check</c> against each provider's fake: the success line, each failure's one line, and its exit code.</summary>
public sealed class LlmCheckCommandTests
{
    public static TheoryData<string> Providers => new(["anthropic", "openai", "groq", "ollama"]);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_ProviderCallsTheTool_PrintsModelLatencyAndExitsZero(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.Call(Core.Llm.LlmCheck.ProbeTool, """{"status":"ok"}"""));

        var (code, output) = await CheckAsync(provider, server.BaseUrl);

        Assert.Equal(LlmCheckCommand.Passed, code);
        Assert.Contains($"Provider {provider} (", output);
        Assert.Matches(@"OK: fake-model-2026-11-01 answered in \d+ ms; tool call came back: yes", output);
        var request = Assert.Single(server.Requests);
        Assert.Equal([Core.Llm.LlmCheck.ProbeTool], request.ToolSchemas.Keys);
        Assert.Empty(server.Rejections);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_KeyRefused_SaysToSetLlmApiKeyAndExitsOne(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.Failure(FakeError.Unauthorized));

        var (code, output) = await CheckAsync(provider, server.BaseUrl);

        Assert.Equal(LlmCheckCommand.Failed, code);
        Assert.Contains($": The {provider} provider refused the key (HTTP 401): set LLM_API_KEY to a valid {provider} key.", output);
        Assert.DoesNotContain("sk-test-key", output);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_UnknownModel_NamesLlmModelAndExitsOne(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.Failure(FakeError.UnknownModel));

        var (code, output) = await CheckAsync(provider, server.BaseUrl);

        Assert.Equal(LlmCheckCommand.Failed, code);
        Assert.Contains($"The {provider} provider does not know model 'fake-model' (HTTP 404): it is misspelt or retired; set LLM_MODEL to a current model.", output);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_EndpointUnreachable_NamesLlmBaseUrlAndExitsOne(string provider)
    {
        string deadUrl;
        await using (var gone = await StartAsync(provider))
        {
            deadUrl = gone.BaseUrl;
        }

        var (code, output) = await CheckAsync(provider, deadUrl);

        Assert.Equal(LlmCheckCommand.Failed, code);
        Assert.Contains($": Cannot reach {deadUrl} (", output);
        Assert.Contains("check LLM_BASE_URL and that the server is running.", output);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Check_ModelAnswersWithoutCallingTheTool_SaysItMayLackToolSupport(string provider)
    {
        await using var server = await StartAsync(provider);
        server.Enqueue(FakeReply.Text("Everything is ok."));

        var (code, output) = await CheckAsync(provider, server.BaseUrl);

        Assert.Equal(LlmCheckCommand.Failed, code);
        Assert.Contains("(fake-model-2026-11-01 answered; tool call came back: no)", output);
        Assert.Contains("answered without calling the tool: it may not support tool calling; set LLM_MODEL to a model with tool support.", output);
    }

    [Fact]
    public async Task Check_OllamaModelWithoutTools_SaysSoAndExitsOne()
    {
        await using var server = await StartAsync("ollama");
        server.Enqueue(FakeReply.Status(400, "registry.ollama.ai/library/gemma:2b does not support tools"));

        var (code, output) = await CheckAsync("ollama", server.BaseUrl);

        Assert.Equal(LlmCheckCommand.Failed, code);
        Assert.Contains(": Model 'fake-model' does not support tool calling (registry.ollama.ai/library/gemma:2b does not support tools): set LLM_MODEL to a model with tool support.", output);
    }

    [Fact]
    public async Task Check_InvalidConfiguration_NamesTheKeyAndExitsTwo()
    {
        var errors = new StringWriter();

        var code = await LlmCheckCommand.RunAsync(["llm", "check", "--Llm:Provider=groq", "--Llm:ApiKey=gsk", "--Llm:MaxOutputTokens=5"], new StringWriter(), errors);

        Assert.Equal(LlmCheckCommand.Unusable, code);
        Assert.Contains("LLM_MAX_TOKENS (Llm:MaxOutputTokens) must be between 16 and 128000 tokens.", errors.ToString());
    }

    [Fact]
    public async Task Check_UnknownSubcommand_PrintsUsageAndExitsTwo()
    {
        var errors = new StringWriter();

        Assert.Equal(LlmCheckCommand.Unusable, await LlmCheckCommand.RunAsync(["llm", "ping"], new StringWriter(), errors));
        Assert.StartsWith("Usage: Agent.Web llm check", errors.ToString());
    }

    private static async Task<FakeOpenAiServer> StartAsync(string provider)
    {
        var server = await FakeOpenAiServer.StartAsync(provider switch
        {
            "anthropic" => FakeWire.Anthropic,
            "groq" => FakeWire.Groq,
            "ollama" => FakeWire.Ollama,
            _ => FakeWire.OpenAi,
        });
        server.AnsweredModel = "fake-model-2026-11-01";
        return server;
    }

    private static async Task<(int Code, string Output)> CheckAsync(string provider, string baseUrl)
    {
        using var workspace = new TempDirectory("llm-check");
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await LlmCheckCommand.RunAsync(
        [
            "llm", "check",
            $"--Llm:Provider={provider}",
            $"--Llm:BaseUrl={baseUrl}",
            "--Llm:Model=fake-model",
            $"--Llm:ApiKey={(provider == "ollama" ? "" : "sk-test-key")}",
            "--Llm:MaxRetries=0",
            "--Llm:RetryDelayMs=10",
            $"--Agent:WorkspaceRoot={workspace.Path}",
            $"--Agent:DatabasePath={workspace.Combine("agent.db")}",
        ], output, errors);
        Assert.Equal("", errors.ToString());
        return (code, output.ToString());
    }
}
