using ExplainApi.Core.Datasets;
using ExplainApi.Core.Saliency.Metrics;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>A generator's validation score: mean NCC of its maps with the ground truth (NaN without masks) and the critic's Wasserstein estimate.</summary>
public sealed record VaGanScore(double Ncc, double Estimate)
{
    /// <summary>Model selection (never on test images): higher NCC when there are masks, else a lower estimate (the critic's loss is noisy, so this is the fallback).</summary>
    public bool IsBetterThan(VaGanScore? other) =>
        other is null || (double.IsNaN(Ncc) ? Estimate < other.Estimate : Ncc > other.Ncc);
}

/// <summary>
/// Scores a generator on validation images (at most <see cref="MaxImages"/> per class, the first of each split), in eval
/// mode after <see cref="PreciseBatchNorm"/> on up to <see cref="MaxImages"/> class-from training images: the
/// map y − x of every class-from image against its mask by NCC over |values| (the sign of a correct map depends on the
/// direction; NormalizedCrossCorrelation, Baumgartner et al. 2018), and mean D(y) − mean D(x₀) with the class-to images.
/// </summary>
public sealed class VaGanValidation(IDataset dataset, int[] fromValidation, int[] toValidation, int[] fromTrain)
{
    public const int MaxImages = 256;
    private const int Batch = 64;

    private readonly int[] _from = [.. fromValidation.Take(MaxImages)];
    private readonly int[] _to = [.. toValidation.Take(MaxImages)];
    private readonly int[] _calibration = [.. fromTrain.Take(MaxImages)];

    public VaGanScore Evaluate(MapGenerator generator, Critic critic)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(critic);
        var wasTraining = generator.training;
        PreciseBatchNorm.Recalibrate(generator, dataset, _calibration);
        generator.eval();
        using var noGrad = no_grad();
        double nccSum = 0, translatedScore = 0, realScore = 0;
        var nccCount = 0;
        try
        {
            for (var start = 0; start < _from.Length; start += Batch)
            {
                using var scope = NewDisposeScope();
                var indices = _from.AsSpan(start, Math.Min(Batch, _from.Length - start));
                var inputs = ClassificationBatches.Load(dataset, indices).Inputs;
                var translated = WassersteinLosses.Translate(inputs, generator.call(inputs));
                translatedScore += critic.call(translated).sum().item<float>();
                if (dataset.HasMasks)
                {
                    var maps = translated.sub(inputs).sum(1).data<float>().ToArray(); // [n, H, W], channels summed
                    var pixels = dataset.Height * dataset.Width;
                    for (var n = 0; n < indices.Length; n++)
                    {
                        if (dataset.Get(indices[n]).Mask is { } mask && mask.AsSpan().ContainsAnyExcept(mask[0]))
                        {
                            nccSum += NormalizedCrossCorrelation.Compute(maps.AsSpan(n * pixels, pixels), mask, NccSign.AbsoluteValues);
                            nccCount++;
                        }
                    }
                }
            }
            for (var start = 0; start < _to.Length; start += Batch)
            {
                using var scope = NewDisposeScope();
                var inputs = ClassificationBatches.Load(dataset, _to.AsSpan(start, Math.Min(Batch, _to.Length - start))).Inputs;
                realScore += critic.call(inputs).sum().item<float>();
            }
        }
        finally
        {
            generator.train(wasTraining);
        }
        var estimate = translatedScore / Math.Max(1, _from.Length) - realScore / Math.Max(1, _to.Length);
        return new VaGanScore(nccCount == 0 ? double.NaN : nccSum / nccCount, estimate);
    }
}
