namespace ExplainApi.Core.Datasets.Brain;

/// <summary>
/// brain-atrophy (METHODS.md §5): axial slices of the real Colin27 brain seen through one synthetic
/// subject's nuisance (<see cref="BrainSubject"/>), with Rician noise; class 1 ("atrophy") shows the same
/// subject after <see cref="AtrophyField"/> shrank the chosen AAL structures and enlarged the ventricles.
/// Even indices are class 0, odd class 1; sample i depends on (seed, i) alone, so <see cref="Get"/> is lazy,
/// deterministic and thread-safe. Pixels are min–max scaled per image to [−1, 1].
/// <para>
/// <see cref="Sample.Mask"/> is the signed ground-truth change, not a 0/1 mask: the atrophied image minus the
/// same subject's image without atrophy (same pose, bias and noise), both in the delivered image's [−1, 1]
/// units, so it is exactly what a perfect difference map (disease effect) shows; NCC, signed or on |·|
/// (METHODS §2), is computed against it directly. Class 0 masks are all zero; |mask| &gt; 0 marks the changed pixels.
/// </para>
/// </summary>
public sealed class BrainAtrophyDataset : IDataset
{
    public const string GeneratorName = "brain-atrophy";

    private readonly BrainTemplate _template;
    private readonly BrainAtrophyOptions _options;
    private readonly Lazy<(float[] Ui, float[] Uj)>[] _fields;

    /// <exception cref="DatasetReferenceException">mricron-data is missing (from <see cref="BrainTemplate.Shared"/>).</exception>
    public BrainAtrophyDataset(BrainAtrophyOptions options, BrainTemplate? template = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _template = template ?? BrainTemplate.Shared();
        // One atrophy field per template slice, made on first use and shared by every subject at that level.
        _fields = [.. Enumerable.Range(0, _template.T1.Depth).Select(k => new Lazy<(float[], float[])>(
            () => AtrophyField.Compute(_template, k, options.Severity / 100.0, options.Regions)))];
    }

    public static IReadOnlyList<string> Classes { get; } = ["normal", "atrophy"];

    public string Reference => _options.Reference;
    public BrainAtrophyOptions Options => _options;
    public IReadOnlyList<string> ClassNames => Classes;
    public int Channels => 1;
    public int Height => _options.Size;
    public int Width => _options.Size;
    public int Count => _options.Count;
    public InputNormalization Normalization => InputNormalization.MinMaxSymmetric;
    public bool HasMasks => true;

    public int LabelOf(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");
        }

        return index & 1;
    }

    public Sample Get(int index)
    {
        var label = LabelOf(index);
        var random = new SampleRandom(_options.Seed, index);
        var subject = new BrainSubject(_template, random, _options.ZMin, _options.ZMax);
        var size = _options.Size;
        var sigma = _options.Noise / 100.0 * _template.ReferenceIntensity;
        var (healthy, changed) = (new float[size * size], label == 1 ? new float[size * size] : null);
        var field = changed is null ? default : _fields[FieldSlice(subject)].Value;
        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < size; column++)
            {
                var (i, j, k) = subject.VoxelOf(row, column, size);
                var bias = subject.Bias(row, column, size);
                var (n1, n2) = (sigma * random.NextGaussian(), sigma * random.NextGaussian());
                var p = (row * size) + column;
                healthy[p] = BrainSubject.Rician(bias * _template.SampleT1(i, j, k), n1, n2);
                if (changed is not null)
                {
                    var (di, dj) = (Bilinear(field.Ui, i, j), Bilinear(field.Uj, i, j));
                    changed[p] = BrainSubject.Rician(bias * _template.SampleT1(i + di, j + dj, k), n1, n2);
                }
            }
        }

        var pixels = changed ?? healthy;
        var (min, max) = (pixels.Min(), pixels.Max());
        var scale = max > min ? 2f / (max - min) : 0f;
        var mask = new float[pixels.Length];
        for (var p = 0; p < pixels.Length; p++)
        {
            mask[p] = changed is null ? 0f : (changed[p] - healthy[p]) * scale;
            pixels[p] = ((pixels[p] - min) * scale) - 1;
        }

        return new Sample(pixels, label, mask);
    }

    /// <summary>The pixels of sample <paramref name="index"/> whose healthy anatomy lies in a chosen structure (either class).</summary>
    public bool[] RegionMaskOf(int index)
    {
        LabelOf(index);
        var subject = new BrainSubject(_template, new SampleRandom(_options.Seed, index), _options.ZMin, _options.ZMax);
        var size = _options.Size;
        var inside = new bool[size * size];
        for (var p = 0; p < inside.Length; p++)
        {
            var (i, j, k) = subject.VoxelOf(p / size, p % size, size);
            inside[p] = (_template.RegionsAt(i, j, k) & _options.Regions) != 0;
        }

        return inside;
    }

    private int FieldSlice(BrainSubject subject) =>
        Math.Clamp((int)Math.Round(_template.WorldToVoxel.Apply(_template.CentreX, _template.CentreY, subject.ZMm).Z), 0, _template.T1.Depth - 1);

    private float Bilinear(float[] plane, double i, double j)
    {
        var (w, h) = (_template.T1.Width, _template.T1.Height);
        var (i0, j0) = ((int)Math.Floor(i), (int)Math.Floor(j));
        if (i0 < 0 || j0 < 0 || i0 >= w - 1 || j0 >= h - 1)
        {
            return 0f;
        }

        var (fi, fj) = ((float)(i - i0), (float)(j - j0));
        var at = (j0 * w) + i0;
        return ((1 - fj) * (((1 - fi) * plane[at]) + (fi * plane[at + 1]))) + (fj * (((1 - fi) * plane[at + w]) + (fi * plane[at + w + 1])));
    }
}
