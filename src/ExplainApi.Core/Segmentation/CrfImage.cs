namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The image that guides the CRF's appearance kernel: <paramref name="Height"/>×<paramref name="Width"/> pixels of
/// 1 (grey) or 3 (RGB) channels, interleaved row-major (y, x, channel), in 0–255 units as pydensecrf reads uint8 images,
/// so θβ = 13 means 13 grey levels. Values outside 0–255 are accepted (only differences matter) within ±65536.
/// </summary>
public sealed record CrfImage(int Height, int Width, int Channels, float[] Pixels)
{
    /// <summary>Bounds the lattice's integer coordinates (intensity / θβ).</summary>
    public const float MaxMagnitude = 65536;

    public int PixelCount => Height * Width;

    /// <summary>A grey image from values in 0–1 (the tensors' unit), scaled to 0–255.</summary>
    public static CrfImage FromUnitGrey(int height, int width, ReadOnlySpan<float> values)
    {
        var pixels = new float[values.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = values[i] * 255f;
        }

        return new CrfImage(height, width, 1, pixels);
    }

    /// <summary>Null when usable, else a message for the client.</summary>
    public string? Validate()
    {
        if (Height < 1 || Width < 1 || (long)Height * Width > int.MaxValue / 8)
        {
            return "The image must have at least one pixel and fewer than 2^28.";
        }

        if (Channels is not (1 or 3))
        {
            return "The image must have 1 (grey) or 3 (RGB) channels.";
        }

        if (Pixels is null || Pixels.Length != PixelCount * Channels)
        {
            return $"The image needs {PixelCount * Channels} values (height × width × channels).";
        }

        foreach (var value in Pixels)
        {
            if (!(Math.Abs(value) <= MaxMagnitude))
            {
                return float.IsFinite(value) ? $"Pixel values must lie within ±{MaxMagnitude} (0–255 expected)." : "The image contains NaN or infinity.";
            }
        }

        return null;
    }
}
