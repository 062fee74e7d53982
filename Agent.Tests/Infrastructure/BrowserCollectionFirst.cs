using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Agent.Tests.Infrastructure.BrowserCollectionFirst", "Agent.Tests")]

namespace Agent.Tests.Infrastructure;

/// <summary>
/// Starts the browser collection first. Its tests share one Chromium and run one after another (about 470 s on a
/// two-core machine), so it is the suite's longest chain: started after the other collections had taken both
/// parallel slots, it began at 194 s and ended the run at 665 s, 210 s after everything else had finished.
/// </summary>
public sealed class BrowserCollectionFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(c => c.DisplayName == BrowserCollection.Name ? 0 : 1)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
