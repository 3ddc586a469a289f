namespace ExplainApi.Core.Rendering.Charts;

/// <summary>An 8-bit sRGB colour.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb FromHex(uint rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
}

/// <summary>A white RGB8 raster that charts draw on; writes outside it are clipped.</summary>
internal sealed class RgbCanvas
{
    private readonly byte[] _samples;

    public RgbCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _samples = new byte[width * height * 3];
        _samples.AsSpan().Fill(255);
    }

    public int Width { get; }

    public int Height { get; }

    public Rgb this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * 3;
            return new Rgb(_samples[i], _samples[i + 1], _samples[i + 2]);
        }
    }

    public void FillRect(int x, int y, int width, int height, Rgb colour)
    {
        var (x0, y0) = (Math.Max(x, 0), Math.Max(y, 0));
        var (x1, y1) = (Math.Min(x + width, Width), Math.Min(y + height, Height));
        for (var row = y0; row < y1; row++)
        {
            for (var column = x0; column < x1; column++)
            {
                Blend(column, row, colour, 1);
            }
        }
    }

    /// <summary>Mixes <paramref name="colour"/> over the pixel with opacity <paramref name="alpha"/> in [0, 1].</summary>
    public void Blend(int x, int y, Rgb colour, double alpha)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || alpha <= 0)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        var a = Math.Min(alpha, 1);
        _samples[i] = Mix(_samples[i], colour.R, a);
        _samples[i + 1] = Mix(_samples[i + 1], colour.G, a);
        _samples[i + 2] = Mix(_samples[i + 2], colour.B, a);
    }

    public void DrawText(string text, int x, int y, int scale, Rgb colour) => BitmapFont.Draw(this, text, x, y, scale, colour);

    public byte[] ToPng() => PngEncoder.Encode(_samples, Width, Height, PngPixelFormat.Rgb8);

    // Blending in sRGB values rather than linear light: slightly dark anti-aliased edges, as most plotting libraries draw them.
    private static byte Mix(byte under, byte over, double alpha) => (byte)Math.Round(under + ((over - under) * alpha));
}
