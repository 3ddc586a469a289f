using System.IO.Compression;
using ExplainApi.Core.Imaging;

namespace ExplainApi.Imaging.Skia;

/// <summary>The zlib stream of a PNG's IDAT chunks and the number of filtered bytes its header requires.</summary>
internal static class PngImageData
{
    // Adam7 passes (PNG spec, ISO/IEC 15948:2003, section 8.2): first column and row, column and row step.
    public static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static (int X0, int Y0, int Dx, int Dy)[] Passes(PngHeader header) => header.Interlaced ? Adam7 : [(0, 0, 1, 1)];

    /// <summary>The zlib stream, split over consecutive IDAT chunks (section 10.1); ancillary chunks are skipped.</summary>
    public static MemoryStream Concatenate(ReadOnlyMemory<byte> png)
    {
        var idat = new MemoryStream();
        foreach (var chunk in PngChunks.Read(png))
        {
            if (chunk.Type == "IDAT")
            {
                idat.Write(chunk.Data.Span);
            }
        }

        if (idat.Length == 0)
        {
            throw PngChunks.Malformed("The PNG has no IDAT chunk.");
        }

        idat.Position = 0;
        return idat;
    }

    /// <summary>
    /// Called once a decode has failed, to tell a short image from a corrupt one: when the zlib stream
    /// inflates without error to fewer bytes than the header requires (one filter byte and the packed
    /// samples per row of each pass, section 7.2), throws <see cref="ImageDecodeError.Truncated"/>.
    /// </summary>
    public static void ThrowIfTruncated(ReadOnlyMemory<byte> png, PngHeader header)
    {
        var needed = Passes(header).Sum(p => PassBytes(header, p));
        long inflated = 0;
        try
        {
            using var zlib = new ZLibStream(Concatenate(png), CompressionMode.Decompress);
            var buffer = new byte[64 * 1024];
            int read;
            while (inflated < needed && (read = zlib.Read(buffer)) > 0)
            {
                inflated += read;
            }
        }
        catch (InvalidDataException)
        {
            return; // corrupt, not short
        }

        if (inflated < needed)
        {
            var rows = header.Interlaced ? "" : $", {inflated / (needed / header.Height)} of {header.Height} rows";
            throw new ImageDecodeException(ImageDecodeError.Truncated,
                $"The PNG's image data is truncated: it inflates to {inflated} of the {needed} bytes its {header.Width} x {header.Height} header requires{rows}.");
        }
    }

    private static long PassBytes(PngHeader header, (int X0, int Y0, int Dx, int Dy) pass)
    {
        var width = (header.Width - pass.X0 + pass.Dx - 1) / pass.Dx;
        var height = (header.Height - pass.Y0 + pass.Dy - 1) / pass.Dy;
        return width <= 0 || height <= 0 ? 0 : height * (1 + (((width * header.SamplesPerPixel * header.BitDepth) + 7) / 8));
    }
}
