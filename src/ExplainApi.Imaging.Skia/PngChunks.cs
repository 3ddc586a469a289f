using System.Buffers.Binary;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;

namespace ExplainApi.Imaging.Skia;

/// <summary>One PNG chunk: its four-letter type and its data.</summary>
internal readonly record struct PngChunk(string Type, ReadOnlyMemory<byte> Data);

/// <summary>The PNG signature and chunk layout (PNG spec, ISO/IEC 15948:2003, sections 5.2 and 5.3).</summary>
internal static class PngChunks
{
    private static readonly System.Buffers.SearchValues<byte> Letters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The chunks after the signature up to and including IEND, each checked against its CRC.
    /// A file that ends before IEND, or a chunk whose length runs past the end, is malformed.
    /// </summary>
    public static IEnumerable<PngChunk> Read(ReadOnlyMemory<byte> png)
    {
        if (!png.Span.StartsWith(Signature))
        {
            throw Malformed("The data is not a PNG (no PNG signature).");
        }

        var position = Signature.Length;
        while (true)
        {
            var chunk = ReadAt(png, position);
            yield return chunk;
            if (chunk.Type == "IEND")
            {
                yield break;
            }

            position += 12 + chunk.Data.Length;
        }
    }

    /// <summary>Walks every chunk, so a truncated file or a bad CRC anywhere fails before decoding.</summary>
    public static void Validate(ReadOnlyMemory<byte> png)
    {
        foreach (var _ in Read(png))
        {
        }
    }

    private static PngChunk ReadAt(ReadOnlyMemory<byte> png, int position)
    {
        var span = png.Span;
        if (span.Length - position < 12)
        {
            throw Truncated("The PNG is truncated (it ends before IEND).");
        }

        // Lengths above 2^31 - 1 are invalid and a type is four ASCII letters (section 5.3): anything
        // else is corrupt; only a well-formed chunk that runs past the end is a truncated file.
        var length = BinaryPrimitives.ReadInt32BigEndian(span[position..]);
        if (length < 0 || span.Slice(position + 4, 4).ContainsAnyExcept(Letters))
        {
            throw Malformed("The PNG is corrupt (a chunk has an invalid length or type).");
        }

        if (length > span.Length - position - 12)
        {
            throw Truncated("The PNG is truncated (a chunk runs past the end of the data).");
        }

        var typeAndData = span.Slice(position + 4, 4 + length);
        if (Crc32.Compute(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(span[(position + 8 + length)..]))
        {
            throw Malformed("The PNG is corrupt (a chunk fails its CRC check).");
        }

        return new PngChunk(System.Text.Encoding.ASCII.GetString(typeAndData[..4]), png.Slice(position + 8, length));
    }

    public static ImageDecodeException Malformed(string message) => new(ImageDecodeError.Malformed, message);

    private static ImageDecodeException Truncated(string message) => new(ImageDecodeError.Truncated, message);
}
