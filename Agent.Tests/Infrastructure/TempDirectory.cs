namespace Agent.Tests.Infrastructure;

/// <summary>A fresh directory under /tmp, deleted with the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "agent-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down may hold the database for a moment; /tmp is cleaned eventually.
        }
    }
}
