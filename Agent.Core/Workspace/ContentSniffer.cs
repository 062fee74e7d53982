namespace Agent.Core.Workspace;

/// <summary>Tells text from binary the way git and grep do: a NUL byte in the first 8 KiB means binary.</summary>
public static class ContentSniffer
{
    public const int SniffLength = 8192;

    public static bool LooksBinary(ReadOnlySpan<byte> head) =>
        head[..Math.Min(head.Length, SniffLength)].Contains((byte)0);

    /// <summary>Reads up to <paramref name="limit"/> bytes (the whole stream when shorter); says whether more was there.</summary>
    public static async Task<(byte[] Bytes, bool More)> ReadUpToAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (collected.Length <= limit)
        {
            var wanted = (int)Math.Min(chunk.Length, limit + 1 - collected.Length);
            var read = await stream.ReadAsync(chunk.AsMemory(0, wanted), cancellationToken);
            if (read == 0)
            {
                break;
            }
            collected.Write(chunk, 0, read);
        }
        var bytes = collected.ToArray();
        return bytes.Length > limit ? (bytes[..(int)limit], true) : (bytes, false);
    }
}
