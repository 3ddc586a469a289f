using System.Buffers.Binary;

namespace ExplainApi.Dicom.Tests;

/// <summary>
/// The small seeded images every test file is made from: a gradient with a bright square and a little
/// seeded noise, so lossy codecs have edges and texture to get wrong.
/// </summary>
internal static class SyntheticImages
{
    public const int Width = 64;
    public const int Height = 48;
    public const int Pixels = Width * Height;
    public const int Frames = 3;

    private static readonly int[] Noise = MakeNoise();

    public static bool InSquare(int x, int y) => x is >= 20 and < 36 && y is >= 10 and < 26;

    /// <summary>8-bit grey levels, row-major.</summary>
    public static byte[] Gray8() => Enumerate((x, y, n) => (byte)(InSquare(x, y) ? 250 : ((x * 3) + (y * 2) + n) % 200));

    /// <summary>Signed 16-bit values from -1500 to 3000 (a CT-like range).</summary>
    public static short[] Signed16() => Enumerate((x, y, n) => (short)(InSquare(x, y) ? 3000 : (x * 40) + (y * 17) - 1500 + (n * 7)));

    /// <summary>Frame k of the multi-frame image: the grey image shifted by 10 k levels.</summary>
    public static byte[] Frame(int k) => [.. Gray8().Select(v => (byte)((v + (10 * k)) % 256))];

    /// <summary>Colour planes R, G, B (CHW), 8 bits each.</summary>
    public static byte[] RgbPlanes()
    {
        var planes = new byte[3 * Pixels];
        for (var i = 0; i < Pixels; i++)
        {
            var (x, y) = (i % Width, i / Width);
            planes[i] = InSquare(x, y) ? (byte)250 : (byte)((x * 4) + Noise[i]);
            planes[Pixels + i] = InSquare(x, y) ? (byte)240 : (byte)(y * 5);
            planes[(2 * Pixels) + i] = InSquare(x, y) ? (byte)10 : (byte)((x + y) * 2);
        }

        return planes;
    }

    /// <summary>A 24-bit bottom-up BMP (BITMAPINFOHEADER, BGR rows padded to 4 bytes) of <see cref="RgbPlanes"/>.</summary>
    public static byte[] Bmp()
    {
        var planes = RgbPlanes();
        var stride = ((Width * 3) + 3) & ~3;
        var bmp = new byte[54 + (stride * Height)];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), Width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), Height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), stride * Height);
        for (var y = 0; y < Height; y++)
        {
            var row = 54 + ((Height - 1 - y) * stride);
            for (var x = 0; x < Width; x++)
            {
                var i = (y * Width) + x;
                bmp[row + (3 * x)] = planes[(2 * Pixels) + i];
                bmp[row + (3 * x) + 1] = planes[Pixels + i];
                bmp[row + (3 * x) + 2] = planes[i];
            }
        }

        return bmp;
    }

    /// <summary>
    /// The colour image as uncompressed YBR_FULL_422 (PS3.3 C.7.6.3.1.2): full-range BT.601 YCbCr,
    /// then Cb and Cr averaged over horizontal pairs, stored Y1 Y2 Cb Cr.
    /// </summary>
    public static byte[] Ybr422()
    {
        var p = RgbPlanes();
        var ybr = new byte[Pixels * 2];
        for (var i = 0; i < Pixels; i += 2)
        {
            double Y(int j) => (0.299 * p[j]) + (0.587 * p[Pixels + j]) + (0.114 * p[(2 * Pixels) + j]);
            double Cb(int j) => (-0.1687 * p[j]) - (0.3313 * p[Pixels + j]) + (0.5 * p[(2 * Pixels) + j]) + 128;
            double Cr(int j) => (0.5 * p[j]) - (0.4187 * p[Pixels + j]) - (0.0813 * p[(2 * Pixels) + j]) + 128;
            ybr[2 * i] = Byte(Y(i));
            ybr[(2 * i) + 1] = Byte(Y(i + 1));
            ybr[(2 * i) + 2] = Byte((Cb(i) + Cb(i + 1)) / 2);
            ybr[(2 * i) + 3] = Byte((Cr(i) + Cr(i + 1)) / 2);
        }

        return ybr;
    }

    public static byte[] LittleEndian(IReadOnlyList<ushort> values)
    {
        var bytes = new byte[values.Count * 2];
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        }

        return bytes;
    }

    public static byte[] LittleEndian(IReadOnlyList<uint> values)
    {
        var bytes = new byte[values.Count * 4];
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return bytes;
    }

    private static byte Byte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private static T[] Enumerate<T>(Func<int, int, int, T> value) =>
        [.. Enumerable.Range(0, Pixels).Select(i => value(i % Width, i / Width, Noise[i]))];

    // Seeded noise in 0..3 so every run makes the same files.
    private static int[] MakeNoise()
    {
        var random = new Random(20240611);
        return [.. Enumerable.Range(0, Pixels).Select(_ => random.Next(4))];
    }
}
