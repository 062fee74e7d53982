namespace Agent.Core.Sandbox;

/// <summary>
/// The few files the sandbox's <c>/etc</c> is made of, written once to a private directory: a passwd and group
/// naming only the sandbox user, an nsswitch.conf and a hosts file. Nothing of the host's own /etc is copied.
/// </summary>
internal sealed class SandboxEtc : IDisposable
{
    private readonly Lock _gate = new();
    private string? _directory;

    /// <summary>The directory holding the generated files, (re)created when missing.</summary>
    public string Directory
    {
        get
        {
            lock (_gate)
            {
                if (_directory is null || !File.Exists(Path.Combine(_directory, "passwd")))
                {
                    _directory = Write();
                }
                return _directory;
            }
        }
    }

    public static IReadOnlyList<string> GeneratedFiles { get; } = ["passwd", "group", "nsswitch.conf", "hosts"];

    private static string Write()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"agent-sandbox-etc-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var (uid, gid) = ProcessIdentity.Current();
        var name = uid == 0 ? "root" : "sandbox";
        File.WriteAllText(Path.Combine(directory, "passwd"), $"{name}:x:{uid}:{gid}:{name}:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(directory, "group"), $"{name}:x:{gid}:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(directory, "nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
        File.WriteAllText(Path.Combine(directory, "hosts"), "127.0.0.1 localhost sandbox\n::1 localhost ip6-localhost\n");
        return directory;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_directory is not null)
            {
                try
                {
                    System.IO.Directory.Delete(_directory, recursive: true);
                }
                catch (IOException)
                {
                    // Left in the temporary directory; it holds nothing secret.
                }
            }
        }
    }
}
