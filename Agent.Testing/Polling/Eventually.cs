using System.Diagnostics;

namespace Agent.Testing;

/// <summary>
/// The one way tests and the bench wait for something another thread or process does: poll a condition until it holds,
/// failing with a message that says what never happened. It always checks once more after the time is up, so a slow
/// machine that misses the last interval does not fail a condition that holds.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>True as soon as <paramref name="condition"/> holds; false when it still does not after <paramref name="timeout"/>.</summary>
    public static async Task<bool> TryUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var expired = clock.Elapsed >= timeout;
            if (await condition())
            {
                return true;
            }
            if (expired)
            {
                return false;
            }
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    public static Task<bool> TryUntilAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null) =>
        TryUntilAsync(() => Task.FromResult(condition()), timeout, interval);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, TimeSpan? interval = null)
    {
        if (!await TryUntilAsync(condition, timeout, interval))
        {
            throw new TimeoutException($"Not within {timeout.TotalSeconds:0.#} s: {what()}");
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        UntilAsync(condition, timeout, () => what, interval);

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, () => what, interval);

    /// <summary>Reads <paramref name="probe"/> until <paramref name="done"/> accepts its value and returns that value; throws naming <paramref name="what"/> and the last value otherwise.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        T last = default!;
        await UntilAsync(async () => done(last = await probe()), timeout, () => $"{what} (last seen: {last})", interval);
        return last;
    }
}
