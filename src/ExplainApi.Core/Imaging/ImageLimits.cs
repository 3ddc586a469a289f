namespace ExplainApi.Core.Imaging;

/// <summary>
/// Limits checked from headers before any pixel buffer is allocated, so that a lying header never
/// costs memory proportional to what it claims.
/// </summary>
public sealed record ImageLimits
{
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;
    public int MaxWidth { get; init; } = 4096;
    public int MaxHeight { get; init; } = 4096;
    public long MaxPixels { get; init; } = 16L * 1024 * 1024;

    /// <summary>Voxels a volume (NIfTI) or frames x pixels (DICOM) may hold before one slice is taken.</summary>
    public long MaxVoxels { get; init; } = 256L * 1024 * 1024;

    public static ImageLimits Default { get; } = new();

    /// <summary>
    /// Called with width × height once a header has passed <see cref="CheckDimensions"/>, before any pixel buffer is
    /// allocated: where a host reserves decoding memory (and throws to refuse). Null: nothing to reserve.
    /// </summary>
    public Action<long>? Admit { get; init; }

    /// <summary>Throws <see cref="ImageDecodeException"/> (<see cref="ImageDecodeError.TooLarge"/>) when a dimension exceeds the limits.</summary>
    public void CheckDimensions(long width, long height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageDecodeException(ImageDecodeError.Malformed, $"Image header declares a {width}x{height} image.");
        }

        if (width > MaxWidth || height > MaxHeight)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"Image is {width}x{height}; the limit is {MaxWidth}x{MaxHeight}.");
        }

        if (width * height > MaxPixels)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"Image has {width * height} pixels; the limit is {MaxPixels}.");
        }

        Admit?.Invoke(width * height);
    }

    public void CheckBytes(long length)
    {
        if (length > MaxBytes)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"Image is {length} bytes; the limit is {MaxBytes}.");
        }
    }

    public void CheckVoxels(long voxels)
    {
        if (voxels > MaxVoxels)
        {
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"Volume has {voxels} voxels; the limit is {MaxVoxels}.");
        }
    }
}
