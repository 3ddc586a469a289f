using ExplainApi.Core.Datasets.Brain;

namespace ExplainApi.Core.Datasets.Lesions;

/// <summary>
/// lesions (METHODS.md §5, issue 10): brain slices (<see cref="BrainBackdrop"/>) or smooth noise
/// (<see cref="NoiseBackdrop"/>) with 0–max lesions of each class (<see cref="LesionKind"/>: blob, thin, tiny) for
/// weakly supervised segmentation. Training sees <see cref="Sample.Labels"/>, the multi-hot classes present;
/// <see cref="Sample.Segmentation"/> (0 = background, k = class k − 1) and <see cref="Sample.Mask"/> (1 inside any
/// lesion) are for evaluation. <see cref="LabelOf"/> is the number of classes present (0..3), the stratification key.
/// Sample i depends on (seed, i) alone: the backdrop's subject, then the layout (<see cref="LesionLayout"/>), then
/// the pixels are drawn from one stream, so <see cref="LabelsOf"/> replays only the first two; <see cref="Get"/> is
/// deterministic and thread-safe. Pixels are min–max scaled per image to [−1, 1], as brain-atrophy's.
/// </summary>
public sealed class LesionsDataset : IMultiLabelDataset
{
    public const string GeneratorName = "lesions";
    public const int ReferenceSize = 112;
    private const double TextureSigma = 1.5;

    private readonly LesionsOptions _options;
    private readonly BrainTemplate? _template;

    /// <exception cref="DatasetReferenceException">A brain background without mricron-data (from <see cref="BrainTemplate.Shared"/>).</exception>
    public LesionsDataset(LesionsOptions options, BrainTemplate? template = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _template = options.NeedsBrain ? template ?? BrainTemplate.Shared(generator: GeneratorName) : null;
    }

    public static IReadOnlyList<string> Classes { get; } = ["blob", "thin", "tiny"];

    public string Reference => _options.Reference;
    public LesionsOptions Options => _options;
    public IReadOnlyList<string> ClassNames => Classes;
    public int Channels => 1;
    public int Height => _options.Size;
    public int Width => _options.Size;
    public int Count => _options.Count;
    public InputNormalization Normalization => InputNormalization.MinMaxSymmetric;
    public bool HasMasks => true;
    public bool HasSegmentation => true;

    public int LabelOf(int index) => (int)LabelsOf(index).Sum();

    public float[] LabelsOf(int index)
    {
        var (backdrop, lesions) = Layout(index, out _);
        return LesionPainter.Labels(LesionPainter.Paint(lesions, backdrop, null, null), Classes.Count);
    }

    public Sample Get(int index)
    {
        var (backdrop, lesions) = Layout(index, out var random);
        var image = backdrop.Render(random);
        var texture = new float[image.Length];
        for (var p = 0; p < texture.Length; p++)
        {
            texture[p] = (float)random.NextGaussian();
        }

        GaussianBlur.Apply(texture, Height, Width, TextureSigma * Height / ReferenceSize);
        PixelScaling.RescaleStd(texture, 1);
        var segmentation = LesionPainter.Paint(lesions, backdrop, image, texture);
        backdrop.Finish(image, random);
        PixelScaling.MinMaxSymmetric(image);
        var labels = LesionPainter.Labels(segmentation, Classes.Count);
        return new Sample(image, (int)labels.Sum(), Array.ConvertAll(segmentation, s => s > 0 ? 1f : 0f), labels, segmentation);
    }

    /// <summary>The pixels of sample <paramref name="index"/> lesions may cover: the subject's brain, or the noise image within its margin.</summary>
    public bool[] AllowedAreaOf(int index)
    {
        var (backdrop, _) = Layout(index, out _);
        return [.. Enumerable.Range(0, Height * Width).Select(p => backdrop.Allows(p / Width, p % Width))];
    }

    private (LesionBackdrop Backdrop, List<Lesion> Lesions) Layout(int index, out SampleRandom random)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");
        }

        random = new SampleRandom(_options.Seed, index);
        LesionBackdrop backdrop = _options.IsBrain(index) ? new BrainBackdrop(_template!, random, Height) : new NoiseBackdrop(Height);
        return (backdrop, LesionLayout.Draw(random, backdrop, _options.MaxPerClass));
    }
}
