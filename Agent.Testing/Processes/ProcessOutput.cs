using System.Text;

namespace Agent.Testing;

/// <summary>Where a child process's output lines go: kept in memory for a test to read, or appended to a log file so a long run cannot grow without bound.</summary>
internal sealed class ProcessOutput : IDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StreamWriter? _log;
    private readonly string? _logPath;

    private ProcessOutput(string? logPath)
    {
        _logPath = logPath;
        _log = logPath is null ? null : new StreamWriter(logPath, append: true) { AutoFlush = true };
    }

    public static ProcessOutput InMemory() => new(null);

    public static ProcessOutput ToFile(string path) => new(path);

    public string StdoutText { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string StderrText { get { lock (_stderr) { return _stderr.ToString(); } } }

    public void Stdout(string? line) => Append(_stdout, line);

    public void Stderr(string? line) => Append(_stderr, line);

    /// <summary>The output for a failure message: the text itself, or where the log is.</summary>
    public string Describe() => _logPath is null ? $"{StdoutText}\n{StderrText}" : $"See {_logPath}.";

    public void Dispose()
    {
        if (_log is not null)
        {
            lock (_log)
            {
                _log.Dispose();
            }
        }
    }

    private void Append(StringBuilder memory, string? line)
    {
        if (line is null)
        {
            return;
        }
        if (_log is null)
        {
            lock (memory)
            {
                memory.AppendLine(line);
            }
            return;
        }
        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after the server was disposed is not needed.
            }
        }
    }
}
