using System.Buffers.Binary;

namespace ExplainApi.Imaging.Skia;

/// <summary>The IHDR chunk (PNG spec, ISO/IEC 15948:2003, section 11.2.2), which must come first.</summary>
internal readonly record struct PngHeader(long Width, long Height, int BitDepth, int ColourType, bool Interlaced)
{
    public const int Grey = 0, Rgb = 2, Palette = 3, GreyAlpha = 4, Rgba = 6;

    public bool IsGrey => ColourType is Grey or GreyAlpha;

    /// <summary>Samples per pixel as stored (alpha included; a palette index is one sample).</summary>
    public int SamplesPerPixel => ColourType switch { Rgb => 3, GreyAlpha => 2, Rgba => 4, _ => 1 };

    /// <summary>Reads and validates IHDR only; the CRC is checked, no pixel data is touched.</summary>
    public static PngHeader Read(ReadOnlyMemory<byte> png)
    {
        // Enumerating lazily reads just the first chunk.
        var first = PngChunks.Read(png).First();
        if (first.Type != "IHDR" || first.Data.Length != 13)
        {
            throw PngChunks.Malformed("The PNG does not start with a 13-byte IHDR chunk.");
        }

        var ihdr = first.Data.Span;
        var header = new PngHeader(
            BinaryPrimitives.ReadUInt32BigEndian(ihdr),
            BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]),
            ihdr[8],
            ihdr[9],
            ihdr[12] == 1);
        // Table 11.1: the allowed bit depths of each colour type; methods other than 0 are undefined.
        var validDepth = header.ColourType switch
        {
            Grey => header.BitDepth is 1 or 2 or 4 or 8 or 16,
            Palette => header.BitDepth is 1 or 2 or 4 or 8,
            Rgb or GreyAlpha or Rgba => header.BitDepth is 8 or 16,
            _ => false,
        };
        if (!validDepth || ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1)
        {
            throw PngChunks.Malformed($"The PNG header is invalid (colour type {header.ColourType}, bit depth {header.BitDepth}).");
        }

        return header;
    }
}
