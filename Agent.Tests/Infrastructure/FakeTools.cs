using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Agent.Core.Tools;

namespace Agent.Tests.Infrastructure;

/// <summary>Counts its executions; accepts <c>{"n": 0..10}</c>. Proves that refused calls never reach a tool.</summary>
public sealed class CountingTool(string name = "counting", ToolPermission permissions = ToolPermission.None) : AgentTool<CountingInput>
{
    private int _executions;

    public int Executions => _executions;

    public override string Name => name;

    public override string Description => "Counts calls.";

    public override ToolPermission Permissions => permissions;

    public override Task<JsonNode?> ExecuteAsync(CountingInput input, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _executions);
        return Task.FromResult<JsonNode?>(new JsonObject { ["n"] = input.N });
    }
}

/// <summary>The counting tool's one argument, <c>n</c> in 0..10.</summary>
public sealed record CountingInput
{
    [Range(0, 10)]
    public required int N { get; init; }
}

/// <summary>Blocks its thread, ignoring the cancellation token, until the test opens the gate.</summary>
public sealed class StubbornTool : AgentTool<NoInput>, IDisposable
{
    private readonly ManualResetEventSlim _gate = new();

    public override string Name => "stubborn";

    public override string Description => "Never finishes on its own.";

    public override ToolPermission Permissions => ToolPermission.None;

    public override Task<JsonNode?> ExecuteAsync(NoInput input, CancellationToken cancellationToken)
    {
        _gate.Wait(TimeSpan.FromMinutes(1));
        return Task.FromResult<JsonNode?>(new JsonObject { ["finished"] = true });
    }

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}

/// <summary>Returns a string of the requested length made of characters that JSON must escape or that need two UTF-16 units.</summary>
public sealed class VerboseTool(int length) : AgentTool<NoInput>
{
    public override string Name => "verbose";

    public override string Description => "Talks too much.";

    public override ToolPermission Permissions => ToolPermission.None;

    public override Task<JsonNode?> ExecuteAsync(NoInput input, CancellationToken cancellationToken)
    {
        var text = string.Concat(Enumerable.Repeat("ab\"\\😀\n", length / 7 + 1))[..length];
        return Task.FromResult<JsonNode?>(new JsonObject { ["text"] = text });
    }
}
