using Microsoft.Extensions.Time.Testing;

namespace Agent.Tests.Infrastructure;

public static class FakeTimeExtensions
{
    /// <summary>A fake clock that starts now, so audit timestamps look like today's.</summary>
    public static FakeTimeProvider StartingNow() => new(DateTimeOffset.UtcNow);

    /// <summary>
    /// Moves <paramref name="time"/> forward by <paramref name="step"/> until <paramref name="condition"/> holds: for a wait
    /// armed at a moment the test cannot see (a retry's back-off). A step well below the next deadline under test keeps
    /// that deadline from firing early.
    /// </summary>
    public static Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> condition, TimeSpan step, string what) =>
        Eventually.UntilAsync(() =>
        {
            if (condition())
            {
                return true;
            }
            time.Advance(step);
            return false;
        }, TimeSpan.FromSeconds(30), what, TimeSpan.FromMilliseconds(20));
}
