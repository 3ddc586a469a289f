using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// One intermediate mask of weakly supervised segmentation (METHODS.md §4), recomputed at serving time from the linked
/// classifier: <see cref="Compute"/> gives every image's mask (classifier order: 0 background, k = class k − 1) and may
/// read earlier stages through <see cref="PseudoMaskStageContext.Masks"/>.
/// </summary>
public sealed record PseudoMaskStage(string Name, Func<PseudoMaskStageContext, byte[][]> Compute);

/// <summary>
/// The stages a segmentation model's pseudo-masks went through, in pipeline order: PSA's CAM seed, its dense-CRF
/// refinement, and static SSDD's integration of the two (needs <see cref="PseudoMaskStageContext.Ssdd"/>).
/// </summary>
public static class PseudoMaskStages
{
    public const string Seed = "seed", Crf = "crf", Ssdd = "ssdd";

    public static IReadOnlyList<PseudoMaskStage> All { get; } =
    [
        new(Seed, context => [.. context.Seeds.Select(s => s.Seed)]),
        new(Crf, context => [.. context.Masks(Seed).Select((seed, n) =>
            PseudoMasks.Refine(context.Guide(n), seed, context.Seeds[n].Classes, context.Parameters, context.Cancellation))]),
        new(Ssdd, context => (context.Ssdd ?? throw new InvalidOperationException("The ssdd stage needs a difference detector."))
            .Integrate(context.Masks(Seed), context.Masks(Crf), [.. context.Seeds.Select(s => (IReadOnlyCollection<int>)[.. s.Classes])])),
    ];

    public static PseudoMaskStage? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// Per classifier class (seed value k = class k − 1) its index among <paramref name="segmentationClasses"/> (background
    /// first), matched by name as the trainer matched them; a class the segmenter does not know stays background.
    /// </summary>
    public static byte[] ToSegmentation(IReadOnlyList<string> classifierClasses, IReadOnlyList<string> segmentationClasses)
    {
        ArgumentNullException.ThrowIfNull(classifierClasses);
        ArgumentNullException.ThrowIfNull(segmentationClasses);
        var lookup = new byte[256];
        for (var c = 0; c < classifierClasses.Count && c < 255; c++)
        {
            lookup[c + 1] = (byte)Math.Max(0, segmentationClasses.ToList().IndexOf(classifierClasses[c]));
        }

        return lookup;
    }
}

/// <summary>
/// What the stages of one batch share: the classifier, its normalised inputs (C × H × W, the CRF's guide through
/// <see cref="PseudoMasks.Guide"/>), the seeds (computed once, with the image-level labels they were built from) and
/// every stage's masks, each computed at most once.
/// </summary>
public sealed class PseudoMaskStageContext
{
    private readonly Dictionary<string, byte[][]> masks = [];
    private readonly Lazy<IReadOnlyList<CamSeed>> seeds;

    /// <param name="seedOptions">α and the probability threshold that picks the image-level labels (no labels are given at serving time).</param>
    public PseudoMaskStageContext(
        IExplainableModel classifier, IReadOnlyList<float[]> inputs, SeedOptions seedOptions, DenseCrfParameters parameters, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(inputs);
        (Classifier, Inputs, Parameters, Cancellation) = (classifier, inputs, parameters, cancellation);
        seeds = new(() => SeedGenerator.Generate(classifier, inputs, [.. inputs.Select(_ => (IReadOnlyCollection<int>?)null)], seedOptions, cancellation));
    }

    public IExplainableModel Classifier { get; }

    public IReadOnlyList<float[]> Inputs { get; }

    public DenseCrfParameters Parameters { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>The difference detector and biases of a static-SSDD model, for the ssdd stage; null when it has none.</summary>
    public SsddDetection? Ssdd { get; init; }

    /// <summary>Each image's CAM seed and the classes the classifier predicts present (<see cref="ImageLabels.Predicted"/>).</summary>
    public IReadOnlyList<CamSeed> Seeds => seeds.Value;

    public CrfImage Guide(int image)
    {
        var shape = Classifier.Shape;
        return PseudoMasks.Guide(Inputs[image], shape.Channels, shape.Height, shape.Width);
    }

    /// <summary>The masks of stage <paramref name="name"/> (computing it, and what it reads, on first use).</summary>
    public byte[][] Masks(string name)
    {
        if (!masks.TryGetValue(name, out var result))
        {
            Cancellation.ThrowIfCancellationRequested();
            var stage = PseudoMaskStages.Find(name) ?? throw new ArgumentException($"Unknown stage '{name}'.", nameof(name));
            masks[name] = result = stage.Compute(this);
        }

        return result;
    }
}
