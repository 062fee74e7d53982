namespace Agent.Bench.Infrastructure;

public static class Workspaces
{
    /// <summary>The workspace the one-tool run lists: 100 entries (90 small files, 10 directories).</summary>
    public static string CreateWithEntries(BenchContext context, string name, int entries = 100)
    {
        var root = context.NewDirectory(name);
        for (var i = 0; i < entries; i++)
        {
            if (i % 10 == 9)
            {
                Directory.CreateDirectory(Path.Combine(root, $"dir-{i:D3}"));
            }
            else
            {
                File.WriteAllText(Path.Combine(root, $"file-{i:D3}.txt"), $"line {i}\n");
            }
        }
        return root;
    }
}
