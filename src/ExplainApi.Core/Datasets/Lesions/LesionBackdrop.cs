namespace ExplainApi.Core.Datasets.Lesions;

/// <summary>
/// What lesions lie on, for one sample: where they may lie, the clean image (before noise) in the backdrop's own
/// intensity units, each lesion class's intensity in those units, and the noise added after painting.
/// </summary>
internal abstract class LesionBackdrop(int size)
{
    private sbyte[]? _allows;

    public int Size => size;

    /// <summary>Pixels a lesion may cover (lesions are clipped to them).</summary>
    public bool Allows(int row, int column)
    {
        if ((uint)row >= (uint)size || (uint)column >= (uint)size)
        {
            return false;
        }

        _allows ??= new sbyte[size * size];
        ref var known = ref _allows[(row * size) + column];
        if (known == 0)
        {
            known = ComputeAllows(row, column) ? (sbyte)1 : (sbyte)-1;
        }

        return known > 0;
    }

    /// <summary>Where a lesion's centre may sit (within <see cref="Allows"/>).</summary>
    public abstract bool Holds(int row, int column);

    /// <summary>The clean background of every pixel, drawing what it needs from <paramref name="random"/>.</summary>
    public abstract float[] Render(SampleRandom random);

    /// <summary>The intensity lesions of <paramref name="kind"/> replace the background with, and the amplitude of blob texture.</summary>
    public abstract (float Level, float Texture) Appearance(LesionKind kind);

    /// <summary>Turns the painted clean image into the acquired one in place (bias, noise).</summary>
    public abstract void Finish(float[] image, SampleRandom random);

    protected abstract bool ComputeAllows(int row, int column);
}

/// <summary>
/// Smooth noise as in the squares set: iid N(0, 1) blurred with σ = 2.5 px at 112 px and rescaled to standard
/// deviation 1, so it has lesion-sized bumps of its own; lesions keep a margin of 4 px at 112 px from the border,
/// and a little iid noise (σ = 0.15) goes on last so painted lesions are not flat.
/// </summary>
internal sealed class NoiseBackdrop(int size) : LesionBackdrop(size)
{
    private const double ReferenceSigma = 2.5, PixelNoise = 0.15;

    private readonly int _margin = (int)Math.Round(4.0 * size / LesionsDataset.ReferenceSize);

    public override bool Holds(int row, int column) => Allows(row, column);

    public override float[] Render(SampleRandom random)
    {
        var image = new float[Size * Size];
        for (var p = 0; p < image.Length; p++)
        {
            image[p] = (float)random.NextGaussian();
        }

        GaussianBlur.Apply(image, Size, Size, ReferenceSigma * Size / LesionsDataset.ReferenceSize);
        PixelScaling.RescaleStd(image, 1);
        return image;
    }

    // Blob and tiny are as bright, the streak as dark, as a 2.6–3σ bump of the background.
    public override (float Level, float Texture) Appearance(LesionKind kind) => kind switch
    {
        LesionKind.Blob => (2.6f, 0.8f),
        LesionKind.Thin => (-2.6f, 0f),
        _ => (2.8f, 0f),
    };

    public override void Finish(float[] image, SampleRandom random)
    {
        for (var p = 0; p < image.Length; p++)
        {
            image[p] += (float)(PixelNoise * random.NextGaussian());
        }
    }

    protected override bool ComputeAllows(int row, int column) =>
        row >= _margin && column >= _margin && row < Size - _margin && column < Size - _margin;
}
