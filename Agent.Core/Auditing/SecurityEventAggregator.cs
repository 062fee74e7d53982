namespace Agent.Core.Auditing;

/// <summary>
/// Folds identical rejections together so that a flood cannot grow the audit at line rate. Events are identical when
/// they share source (client IP and key name), reason and status. The first of a window is written at once; the
/// repeats within the window become one row with <c>count</c> and <c>window_end</c> when the window closes, so each
/// source and reason costs at most two rows per window. Past <c>maxSources</c> distinct sources in a window, further
/// sources share one overflow row per reason (client IP <c>*</c>), which bounds the rows even for many addresses.
/// </summary>
public sealed class SecurityEventAggregator(TimeSpan window, int maxSources)
{
    public const string OverflowSource = "*";

    private readonly Dictionary<SourceKey, Window> _windows = [];
    private readonly List<SecurityEvent> _closed = [];

    /// <summary>True when the event must be written now; false when it was counted into an open window.</summary>
    public bool Admit(SecurityEvent e)
    {
        // The writer's own bookkeeping (lost events) is never folded away.
        if (e.Count is not null || e.Reason == SecurityEventReasons.EventsDropped)
        {
            return true;
        }
        var key = new SourceKey(e.ClientIp, e.Principal, e.Reason, e.StatusCode);
        lock (_windows)
        {
            if (!_windows.ContainsKey(key) && _windows.Count >= maxSources)
            {
                key = key with { ClientIp = OverflowSource, Principal = null };
            }
            if (_windows.TryGetValue(key, out var open) && e.At - open.Start < window)
            {
                open.Repeat(e);
                return false;
            }
            if (open is not null)
            {
                CloseWindow(key, open);
            }
            _windows[key] = new Window(e.At);
            return true;
        }
    }

    /// <summary>Closes the windows that ended by <paramref name="now"/> and returns one aggregated event for each that saw repeats.</summary>
    public IReadOnlyList<SecurityEvent> Close(DateTimeOffset now)
    {
        lock (_windows)
        {
            foreach (var (key, open) in _windows.Where(w => now == DateTimeOffset.MaxValue || now - w.Value.Start >= window).ToList())
            {
                _windows.Remove(key);
                CloseWindow(key, open);
            }
            var closed = _closed.ToArray();
            _closed.Clear();
            return closed;
        }
    }

    private void CloseWindow(SourceKey key, Window open)
    {
        if (open.FirstRepeat is { } first)
        {
            _closed.Add(first with { ClientIp = key.ClientIp, Principal = key.Principal, Count = open.Repeats, WindowEnd = open.LastAt });
        }
    }

    private sealed record SourceKey(string? ClientIp, string? Principal, string Reason, int StatusCode);

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;
        public SecurityEvent? FirstRepeat { get; private set; }
        public long Repeats { get; private set; }
        public DateTimeOffset LastAt { get; private set; }

        public void Repeat(SecurityEvent e)
        {
            FirstRepeat ??= e;
            Repeats++;
            LastAt = e.At;
        }
    }
}
