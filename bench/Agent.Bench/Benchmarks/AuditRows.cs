namespace Agent.Bench.Benchmarks;

/// <summary>The contents of a one-tool run's audit rows, shared by the writer benchmark and the raw limit.</summary>
public static class AuditRows
{
    // A list_dir result of 100 entries is about this size; the audit stores it whole.
    public static readonly string ListingOutput = "{\"path\":\".\",\"entries\":[" +
        string.Join(',', Enumerable.Range(0, 100).Select(i => $"{{\"name\":\"file-{i:D3}.txt\",\"type\":\"file\",\"size\":9}}")) +
        "],\"count\":100,\"truncated\":false}";

    public const string PlanTools = "[{\"id\":\"call_1\",\"name\":\"list_dir\",\"arguments\":{\"path\":\".\"}}]";

    public const string Answer = "The workspace contains 100 entries.";
}
