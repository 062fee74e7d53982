namespace Agent.Core.Runs;

/// <summary>Default sink when no host listens for run events.</summary>
public sealed class NullRunEventSink : IRunEventSink
{
    public void Publish(RunEvent runEvent)
    {
    }
}
