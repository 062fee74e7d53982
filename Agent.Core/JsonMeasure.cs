using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agent.Core;

/// <summary>The size of a JSON value in the wire and audit format, and the first bytes of its text.</summary>
public readonly record struct JsonExtent(long Bytes, string Preview)
{
    /// <summary>What is kept in place of a value too large to keep: how large it was, how much was cut, why, and its start.</summary>
    public JsonObject ToTruncated(string note)
    {
        long kept = Encoding.UTF8.GetByteCount(Preview);
        return new JsonObject
        {
            ["truncated"] = true,
            ["original_bytes"] = Bytes,
            ["kept_bytes"] = kept,
            ["cut_bytes"] = Bytes - kept,
            ["note"] = note,
            ["preview"] = Preview,
        };
    }
}

/// <summary>
/// Measures JSON by writing it to a counter rather than to a string, so that judging a 100 MB value costs no
/// 100 MB allocation; only the first bytes asked for are kept, as a preview.
/// </summary>
public static class JsonMeasure
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JsonDefaults.Compact.Encoder, SkipValidation = true };

    public static JsonExtent Of(JsonNode? node, int previewBytes = 0) =>
        Of(writer =>
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer, JsonDefaults.Compact);
            }
        }, previewBytes);

    /// <summary>Measures whatever <paramref name="write"/> writes as one JSON document.</summary>
    public static JsonExtent Of(Action<Utf8JsonWriter> write, int previewBytes = 0)
    {
        // Every event and tool result is measured, so the thread's writer and scratch buffer are reused; a nested
        // measurement (one inside the callback) finds none cached and makes its own.
        var counter = t_counter ?? new CountingBufferWriter();
        t_counter = null;
        try
        {
            counter.Start(previewBytes);
            var writer = counter.Writer;
            write(writer);
            writer.Flush();
            return new JsonExtent(counter.Written, counter.Preview());
        }
        finally
        {
            counter.Writer.Reset();
            t_counter = counter;
        }
    }

    [ThreadStatic]
    private static CountingBufferWriter? t_counter;

    /// <summary>Counts what is written into a reused scratch buffer, copying only the first bytes aside.</summary>
    private sealed class CountingBufferWriter : IBufferWriter<byte>
    {
        private const int MaxKeptScratch = 64 * 1024;

        // Three bytes past the preview reveal whether its last character is cut, so it can end on a whole one.
        private int _previewBytes;
        private int _headLimit;
        // Grown with what is written, never to the limit up front: the limit may be a whole run's output budget.
        private byte[] _head = [];
        private int _headLength;
        private byte[] _scratch = new byte[4096];

        public CountingBufferWriter() => Writer = new Utf8JsonWriter(this, WriterOptions);

        public Utf8JsonWriter Writer { get; }

        public long Written { get; private set; }

        public void Start(int previewBytes)
        {
            _previewBytes = Math.Max(0, previewBytes);
            _headLimit = _previewBytes + 3;
            _head = [];
            _headLength = 0;
            Written = 0;
            // A huge value once must not keep a huge scratch buffer alive on this thread.
            if (_scratch.Length > MaxKeptScratch)
            {
                _scratch = new byte[4096];
            }
        }

        public void Advance(int count)
        {
            var copy = Math.Min(count, _headLimit - _headLength);
            if (copy > 0)
            {
                if (_headLength + copy > _head.Length)
                {
                    Array.Resize(ref _head, (int)Math.Min(_headLimit, Math.Max(_headLength + copy, 2L * _head.Length)));
                }
                _scratch.AsSpan(0, copy).CopyTo(_head.AsSpan(_headLength));
                _headLength += copy;
            }
            Written += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        private byte[] Scratch(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
            {
                _scratch = new byte[Math.Max(sizeHint, _scratch.Length * 2)];
            }
            return _scratch;
        }

        public string Preview()
        {
            var cut = Math.Min(_headLength, _previewBytes);
            // Step back over UTF-8 continuation bytes: half a character is not text.
            while (cut > 0 && cut < _headLength && (_head[cut] & 0xC0) == 0x80)
            {
                cut--;
            }
            return Encoding.UTF8.GetString(_head, 0, cut);
        }
    }
}
