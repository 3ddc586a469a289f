using ExplainApi.Core.Datasets.Brain;

namespace ExplainApi.Core.Datasets.Lesions;

/// <summary>
/// An axial Colin27 slice seen through one synthetic subject (<see cref="BrainSubject"/>: level, pose, elastic
/// warp, bias) with Rician noise of 3 % of the brain's 99th-percentile intensity, as brain-atrophy makes them.
/// Lesions lie inside the brain (template intensity above 0.3 × its median; the template is skull-stripped),
/// centred in tissue (above 0.7 × median: not in CSF). Intensities are in units of the median brain intensity m:
/// white matter lies near 1.1 m, grey matter near 0.8 m.
/// </summary>
internal sealed class BrainBackdrop : LesionBackdrop
{
    private const double ZMinMm = -5, ZMaxMm = 35, NoiseFraction = 0.03, BrainFraction = 0.3, TissueFraction = 0.7;

    private readonly BrainTemplate _template;
    private readonly BrainSubject _subject;

    /// <summary>Draws the subject from <paramref name="random"/>.</summary>
    public BrainBackdrop(BrainTemplate template, SampleRandom random, int size) : base(size)
    {
        _template = template;
        _subject = new BrainSubject(template, random, ZMinMm, ZMaxMm);
    }

    public override bool Holds(int row, int column) => Allows(row, column) && Template(row, column) > TissueFraction * _template.MedianBrainIntensity;

    public override float[] Render(SampleRandom random)
    {
        var image = new float[Size * Size];
        for (var p = 0; p < image.Length; p++)
        {
            image[p] = Template(p / Size, p % Size);
        }

        return image;
    }

    // Blob and tiny replace tissue with ≈ 1.45–1.5 m (brighter than white matter, more so than grey); the streak with 0.4 m.
    public override (float Level, float Texture) Appearance(LesionKind kind)
    {
        var m = (float)_template.MedianBrainIntensity;
        return kind switch
        {
            LesionKind.Blob => (1.45f * m, 0.2f * m),
            LesionKind.Thin => (0.4f * m, 0f),
            _ => (1.5f * m, 0f),
        };
    }

    public override void Finish(float[] image, SampleRandom random)
    {
        var sigma = NoiseFraction * _template.ReferenceIntensity;
        for (var p = 0; p < image.Length; p++)
        {
            var (row, column) = (p / Size, p % Size);
            var (n1, n2) = (sigma * random.NextGaussian(), sigma * random.NextGaussian());
            image[p] = BrainSubject.Rician(_subject.Bias(row, column, Size) * image[p], n1, n2);
        }
    }

    protected override bool ComputeAllows(int row, int column) => Template(row, column) > BrainFraction * _template.MedianBrainIntensity;

    private float Template(int row, int column)
    {
        var (i, j, k) = _subject.VoxelOf(row, column, Size);
        return _template.SampleT1(i, j, k);
    }
}
