using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using TorchSharp;
using ExplainApi.Torch.Training.Classifier;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// Metrics of the generators on validation images of each class, per direction (a2b: class A through G_A): the cycle
/// L1 ‖G'(G(x)) − x‖₁ (eq. 2), the map energy mean |G(x) − x| and, when the dataset has ground-truth masks, the share of
/// |G(x) − x| inside the mask over the images whose mask is not empty (METHODS.md §2: report energy outside it); with a
/// <paramref name="judge"/>, the linked classifier's flip rate per direction and <see cref="FlipRate"/>, the lower of the two.
/// </summary>
public sealed class CycleGanValidation(IDataset dataset, int[] validationA, int[] validationB, DifferenceDirection a2b, DifferenceDirection b2a,
    FlipRateJudge? judge = null, bool selectOnFlipRate = false)
{
    private const int Batch = 16;
    private static readonly Scalar Tiny = 1e-12.ToScalar(); // process-long, as LiveScalars

    /// <summary>The mean validation cycle L1 of both directions, and the lower validation flip rate of the two.</summary>
    public const string CycleL1 = "cycleL1", FlipRate = "flipRate";

    /// <summary>True when <see cref="Score"/> ranks by flip rate, so every validation competes (a near-identity generator flips nothing).</summary>
    public bool SelectsOnFlipRate { get; } = selectOnFlipRate && judge is null
        ? throw new ArgumentException("Selecting on the flip rate needs a judge.", nameof(judge))
        : selectOnFlipRate;

    public Dictionary<string, double> Evaluate(CycleGanNetworks networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var metrics = new Dictionary<string, double>();
        Direction(a2b, networks.GeneratorA2B, networks.GeneratorB2A, validationA, metrics);
        Direction(b2a, networks.GeneratorB2A, networks.GeneratorA2B, validationB, metrics);
        metrics[CycleL1] = (metrics[$"{CycleL1}.{a2b.Name}"] + metrics[$"{CycleL1}.{b2a.Name}"]) / 2;
        if (judge is not null)
        {
            metrics[FlipRate] = Math.Min(metrics[$"{FlipRate}.{a2b.Name}"], metrics[$"{FlipRate}.{b2a.Name}"]);
        }
        return metrics;
    }

    /// <summary>
    /// The model-selection score, lower is better: the cycle L1 (eq. 2), or 1 − the lower flip rate (the bar is on both
    /// directions) with ties broken by the other direction's, scaled below one image's step so it never outranks the first.
    /// </summary>
    public double Score(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!SelectsOnFlipRate)
        {
            return metrics[CycleL1];
        }
        var higher = Math.Max(metrics[$"{FlipRate}.{a2b.Name}"], metrics[$"{FlipRate}.{b2a.Name}"]);
        return 1 - metrics[FlipRate] + (1 - higher) / (Math.Max(validationA.Length, validationB.Length) + 1);
    }

    /// <summary>One direction's selection score, lower is better: 1 − its flip rate (ties keep the earlier validation).</summary>
    public static double Score(IReadOnlyDictionary<string, double> metrics, DifferenceDirection direction)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(direction);
        return 1 - metrics[$"{FlipRate}.{direction.Name}"];
    }

    public DifferenceDirection A2B => a2b;

    public DifferenceDirection B2A => b2a;

    private void Direction(DifferenceDirection direction, ResnetGenerator forward, ResnetGenerator backward, int[] indices, Dictionary<string, double> metrics)
    {
        var name = direction.Name;
        double cycle = 0, energy = 0, inside = 0, masked = 0;
        var size = dataset.Channels * dataset.Height * dataset.Width;
        var translations = judge is null ? null : new float[indices.Length * size]; // judged after the loop, so the generator runs once per image
        using var noGrad = no_grad();
        for (var start = 0; start < indices.Length; start += Batch)
        {
            using var scope = NewDisposeScope();
            var chunk = indices.AsSpan(start, Math.Min(Batch, indices.Length - start));
            var x = ClassificationBatches.Load(dataset, chunk).Inputs;
            var translated = forward.call(x);
            if (translations is not null)
            {
                translated.contiguous().data<float>().CopyTo(translations, start * size);
            }
            var perImage = new long[] { 1, 2, 3 };
            cycle += backward.call(translated).sub(x).abs().mean(perImage).sum().item<float>();
            var map = translated.sub(x).abs();
            energy += map.mean(perImage).sum().item<float>();
            if (dataset.HasMasks)
            {
                // 0/1 region (GroundTruthRegion: |mask| > 0.1), so brain-atrophy's signed change maps count like the squares' boxes.
                var masks = chunk.ToArray().Select(i => Array.ConvertAll(dataset.Get(i).Mask!, v => GroundTruthRegion.Inside(v) ? 1f : 0f)).ToArray();
                var maskTensor = tensor(masks.SelectMany(m => m).ToArray(), [chunk.Length, 1, dataset.Height, dataset.Width]);
                var nonEmpty = maskTensor.sum(perImage).gt(LiveScalars.Zero);
                var share = (map * maskTensor).sum(perImage) / map.sum(perImage).clamp_min(Tiny);
                inside += share.masked_select(nonEmpty).sum().item<float>();
                masked += nonEmpty.sum().item<long>();
            }
        }
        metrics[$"cycleL1.{name}"] = cycle / indices.Length;
        metrics[$"mapEnergy.{name}"] = energy / indices.Length;
        if (masked > 0)
        {
            metrics[$"mapShareInsideMask.{name}"] = inside / masked;
        }
        if (judge is not null)
        {
            metrics[$"{FlipRate}.{name}"] = judge.FlipRate(translations!, indices.Length, direction);
        }
    }
}
