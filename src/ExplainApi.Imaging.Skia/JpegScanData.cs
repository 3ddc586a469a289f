using System.Buffers.Binary;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Imaging.Skia;

/// <summary>
/// Checks that a Huffman-coded JPEG carries enough entropy-coded data for the frame its SOF declares.
/// libjpeg-turbo fills the blocks after a premature EOI with zeros (warning JWRN_HIT_MARKER) and Skia
/// reports Success, so a 112 x 112 scan under a 4096 x 4096 header decodes as a grey image.
/// Every Huffman code is at least one bit (ITU-T T.81, Annex C), so a sequential block needs at least
/// two bits (DC difference, then EOB or 63 AC codes) and a progressive block at least one (its DC in the
/// first DC scan). Fewer scan bytes than that bound cannot hold the image: it is truncated. A file cut
/// with no EOI is left to Skia, which reports IncompleteInput.
/// </summary>
internal static class JpegScanData
{
    public static void CheckComplete(ReadOnlySpan<byte> jpeg)
    {
        var (frame, scanBytes) = Walk(jpeg);
        if (frame is not { } f || f.BitsPerBlock == 0)
        {
            return; // no SOF (Skia rejects it) or arithmetic/lossless coding, for which no bound holds
        }

        var needed = (f.Blocks * f.BitsPerBlock + 7) / 8;
        if (scanBytes < needed)
        {
            throw new ImageDecodeException(ImageDecodeError.Truncated,
                $"The JPEG's image data is truncated: its header declares {f.Width} x {f.Height} ({f.Blocks} blocks of 8 x 8), " +
                $"which needs at least {needed} bytes of scan data; the file carries {scanBytes}.");
        }
    }

    private readonly record struct Frame(int Width, int Height, long Blocks, int BitsPerBlock);

    /// <summary>The frame header and the entropy-coded bytes of every scan (stuffed zeros and RSTn not counted).</summary>
    private static (Frame? Frame, long ScanBytes) Walk(ReadOnlySpan<byte> jpeg)
    {
        Frame? frame = null;
        long scanBytes = 0;
        var i = 2; // after SOI
        while (i + 4 <= jpeg.Length)
        {
            if (jpeg[i] != 0xFF)
            {
                return (frame, scanBytes); // not a marker: Skia decides what this is
            }

            var marker = jpeg[i + 1];
            if (marker is 0xFF or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += marker == 0xFF ? 1 : 2; // fill byte, TEM or stray RSTn: no length
                continue;
            }

            if (marker == 0xD9)
            {
                break;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 2)..]);
            var segment = jpeg.Slice(i + 4, Math.Max(0, Math.Min(length - 2, jpeg.Length - i - 4)));
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                frame = ParseFrame(marker, segment) ?? frame;
            }

            i += 2 + length;
            while (marker == 0xDA && i < jpeg.Length)
            {
                if (jpeg[i] != 0xFF)
                {
                    (scanBytes, i) = (scanBytes + 1, i + 1);
                }
                else if (i + 1 < jpeg.Length && jpeg[i + 1] is 0x00 or (>= 0xD0 and <= 0xD7))
                {
                    (scanBytes, i) = (scanBytes + (jpeg[i + 1] == 0 ? 1 : 0), i + 2); // FF 00 is one data byte; FF Dn a restart
                }
                else
                {
                    break; // the next marker
                }
            }
        }

        return (frame, scanBytes);
    }

    private static Frame? ParseFrame(byte marker, ReadOnlySpan<byte> sof)
    {
        if (sof.Length < 6 || sof.Length < 6 + (3 * sof[5]) || sof[5] == 0)
        {
            return null;
        }

        var (height, width, count) = (BinaryPrimitives.ReadUInt16BigEndian(sof[1..]), BinaryPrimitives.ReadUInt16BigEndian(sof[3..]), sof[5]);
        var components = new (int H, int V)[count];
        for (var c = 0; c < count; c++)
        {
            components[c] = (Math.Max(1, sof[6 + (3 * c) + 1] >> 4), Math.Max(1, sof[6 + (3 * c) + 1] & 0x0F));
        }

        var (hMax, vMax) = (components.Max(c => c.H), components.Max(c => c.V));
        // T.81 A.1.1: component c has ceil(X * Hc / Hmax) x ceil(Y * Vc / Vmax) samples, in 8 x 8 blocks.
        var blocks = components.Sum(c =>
            (long)Ceiling(Ceiling(width * c.H, hMax), 8) * Ceiling(Ceiling(height * c.V, vMax), 8));
        var bits = marker switch { 0xC0 or 0xC1 => 2, 0xC2 => 1, _ => 0 };
        return new Frame(width, height, blocks, bits);
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;
}
