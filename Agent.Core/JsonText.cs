using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Agent.Core;

/// <summary>
/// Compact JSON text written straight from values, in the wire and audit format (<see cref="JsonDefaults.Compact"/>):
/// no intermediate <c>JsonObject</c> and no deep copy of a node that already has a parent.
/// </summary>
public static class JsonText
{
    private const int MaxKeptBuffer = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JsonDefaults.Compact.Encoder, SkipValidation = true };

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_cached;

    /// <summary>What <paramref name="write"/> writes, as a string. The thread's buffer is reused; a nested call makes its own.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var (buffer, writer) = t_cached ?? NewWriter();
        t_cached = null;
        try
        {
            write(writer);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            writer.Reset();
            buffer.ResetWrittenCount();
            // One huge text must not keep a huge buffer alive on this thread.
            t_cached = buffer.Capacity > MaxKeptBuffer ? null : (buffer, writer);
        }
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        return (buffer, new Utf8JsonWriter(buffer, WriterOptions));
    }
}
