namespace Agent.Bench.SlowRuns;

/// <summary>
/// An OpenAI-compatible model on 127.0.0.1 (Agent.Testing's fake) that takes <see cref="TurnTime"/> to answer every turn,
/// like a real model: the first turn of a run calls <c>list_dir</c>, the turn after the tool result answers in text.
/// So a run costs exactly <see cref="TurnsPerRun"/> turns of model time.
/// </summary>
public sealed class SlowModelServer : IAsyncDisposable
{
    public const int TurnsPerRun = 2;

    private readonly FakeOpenAiServer _fake;

    private SlowModelServer(FakeOpenAiServer fake, TimeSpan turnTime)
    {
        _fake = fake;
        TurnTime = turnTime;
    }

    public TimeSpan TurnTime { get; }
    public long Turns => _fake.RequestCount;
    public Uri BaseUrl => new(_fake.BaseUrl + "/");

    public static async Task<SlowModelServer> StartAsync(TimeSpan turnTime)
    {
        // Thousands of turns: count them, do not keep them.
        var fake = await FakeOpenAiServer.StartAsync(record: false);
        var listDir = FakeReply.Call("list_dir", """{"path":"."}""") with { Delay = turnTime, PromptTokens = 50, CompletionTokens = 10 };
        var answer = FakeReply.Text("The workspace has 100 entries.") with { Delay = turnTime, PromptTokens = 50, CompletionTokens = 10 };
        fake.RespondWith((request, _) => request.Messages.Any(m => m?["role"]?.GetValue<string>() == "tool") ? answer : listDir);
        return new SlowModelServer(fake, turnTime);
    }

    public ValueTask DisposeAsync() => _fake.DisposeAsync();
}
