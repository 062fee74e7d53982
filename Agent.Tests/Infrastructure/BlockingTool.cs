using System.Text.Json.Nodes;
using Agent.Core.Tools;

namespace Agent.Tests.Infrastructure;

/// <summary>A read-only tool that waits until it is cancelled: keeps a run busy for cancel and live-view tests.</summary>
public sealed class BlockingTool : AgentTool<NoInput>
{
    public const string ToolName = "wait_forever";

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override string Name => ToolName;

    public override string Description => "Waits until cancelled.";

    public override ToolPermission Permissions => ToolPermission.Read;

    public override async Task<JsonNode?> ExecuteAsync(NoInput input, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }
}
