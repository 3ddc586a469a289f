namespace ExplainApi.Core.Datasets;

/// <summary>
/// The synthetic set of VA-GAN (Baumgartner et al., CVPR 2018), METHODS.md §5: smooth Gaussian noise;
/// class 1 ("abnormal") adds +100 to a central box and to one jittered corner box (subtype A or B);
/// every image is min–max scaled to [−1, 1]; the mask is the union of the boxes. Class names are
/// "normal" (0) and "abnormal" (1).
/// <para>
/// Index layout: even indices are class 0; odd index i is subtype A when (i / 2) is even, else B, so
/// 10 000 samples hold 5 000 + 2 500 + 2 500 and every prefix stays balanced. Sample i is built from
/// <see cref="SampleRandom"/>(seed, i) alone, so <see cref="Get"/> is lazy, deterministic and thread-safe.
/// </para>
/// </summary>
public sealed class SquaresDataset : IDataset
{
    public const string GeneratorName = "squares";
    public const int DefaultCount = 10_000, DefaultSize = 112, DefaultSeed = 1;
    public const int MinSize = 16, MaxSize = 1024, MinCount = 4, MaxCount = 10_000_000;
    private const double NoiseStd = 50, BoxIntensity = 100;

    private readonly int _seed;

    public SquaresDataset(int count = DefaultCount, int size = DefaultSize, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, MinCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        if (count % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The count must be even: the classes are balanced 50/50.");
        }

        Count = count;
        _seed = seed;
        Geometry = SquaresGeometry.For(size);
        Reference = $"synthetic:{GeneratorName}?n={count}&size={size}&seed={seed}";
    }

    public static IReadOnlyList<string> Classes { get; } = ["normal", "abnormal"];

    public string Reference { get; }
    public IReadOnlyList<string> ClassNames => Classes;
    public int Channels => 1;
    public int Height => Geometry.Size;
    public int Width => Geometry.Size;
    public int Count { get; }
    public InputNormalization Normalization => InputNormalization.MinMaxSymmetric;
    public bool HasMasks => true;
    public SquaresGeometry Geometry { get; }

    public int LabelOf(int index)
    {
        CheckIndex(index);
        return index & 1;
    }

    public SquaresSubtype SubtypeOf(int index) =>
        LabelOf(index) == 0 ? SquaresSubtype.None : ((index >> 1) & 1) == 0 ? SquaresSubtype.A : SquaresSubtype.B;

    /// <summary>The boxes sample <paramref name="index"/> carries (none for class 0), without building its pixels.</summary>
    public IReadOnlyList<SquareBox> BoxesOf(int index) => Boxes(index, new SampleRandom(_seed, index));

    public Sample Get(int index)
    {
        // The jitter is drawn first, so BoxesOf replays it without generating the noise.
        var random = new SampleRandom(_seed, index);
        var boxes = Boxes(index, random);
        var size = Geometry.Size;
        var pixels = new float[size * size];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)(NoiseStd * random.NextGaussian());
        }

        GaussianBlur.Apply(pixels, size, size, Geometry.Sigma);
        PixelScaling.RescaleStd(pixels, NoiseStd);
        var mask = new float[pixels.Length];
        foreach (var box in boxes)
        {
            for (var row = box.Top; row < box.Top + box.Side; row++)
            {
                for (var column = box.Left; column < box.Left + box.Side; column++)
                {
                    pixels[(row * size) + column] += (float)BoxIntensity;
                    mask[(row * size) + column] = 1f;
                }
            }
        }

        PixelScaling.MinMaxSymmetric(pixels);
        return new Sample(pixels, index & 1, mask);
    }

    private SquareBox[] Boxes(int index, SampleRandom random)
    {
        var subtype = SubtypeOf(index);
        if (subtype == SquaresSubtype.None)
        {
            return [];
        }

        var rowJitter = random.NextInt(Geometry.JitterMin, Geometry.JitterMax);
        var columnJitter = random.NextInt(Geometry.JitterMin, Geometry.JitterMax);
        return [Geometry.CentralBox, Geometry.CornerBox(subtype, rowJitter, columnJitter)];
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");
        }
    }
}
