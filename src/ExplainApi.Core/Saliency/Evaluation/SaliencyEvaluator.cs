using System.Diagnostics;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Metrics;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Saliency.Evaluation;

/// <summary>Where an evaluation is: image <see cref="Image"/> of <see cref="Images"/> (the largest plan).</summary>
public sealed record EvaluationProgress(int Image, int Images);

/// <summary>
/// Scores saliency methods against ground-truth masks (METHODS.md §1 "Metrics served beside the maps"): for each image of
/// the subset whose mask is not empty, explained for its true class (the class the mask is evidence of), every planned
/// method's map gets the pointing game (Zhang 2016, 15 px), the energy-based pointing game (Wang 2020), NCC with the
/// mask signed and absolute (Baumgartner 2018) and deletion/insertion AUC (Petsiuk 2018, 64 steps, baseline 0). Images
/// are taken in the given order, so method m sees the first <see cref="EvaluationMethodPlan.Images"/> of them; one
/// <see cref="ExplanationContext"/> per image shares the forward and gradient passes among methods.
/// </summary>
public sealed class SaliencyEvaluator
{
    public const float Baseline = 0f;

    public SaliencyEvaluationTable Evaluate(
        IExplainableModel model, IDataset dataset, IReadOnlyList<int> subset, IReadOnlyList<EvaluationMethodPlan> plans, EvaluationSubject subject,
        SaliencyOptions? options = null, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(subset);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(subject);
        if (!dataset.HasMasks)
        {
            throw new ArgumentException($"Dataset {dataset.Reference} has no ground-truth masks to score maps against.", nameof(dataset));
        }

        if (dataset is IMultiLabelDataset)
        {
            throw new ArgumentException(MultiLabelRefusal(dataset), nameof(dataset));
        }

        var shape = model.Shape;
        if (dataset.Channels != shape.Channels || dataset.Height != shape.Height || dataset.Width != shape.Width)
        {
            throw new ArgumentException(
                $"The model takes {shape.Channels}×{shape.Height}×{shape.Width} inputs; dataset {dataset.Reference} has {dataset.Channels}×{dataset.Height}×{dataset.Width}.", nameof(dataset));
        }

        var candidates = subset.Where(i => HasRegion(dataset.Get(i).Mask)).ToArray();
        var runnable = plans.Select(p => (Plan: p, Reason: SaliencyMethods.Supports(p.Method, model, out var reason) ? null : reason)).ToList();
        var scores = runnable.Select(_ => new Scores()).ToArray();
        var images = Math.Min(candidates.Length, runnable.Where(r => r.Reason is null).Select(r => r.Plan.Images).DefaultIfEmpty(0).Max());
        var correct = 0;
        for (var n = 0; n < images; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sample = dataset.Get(candidates[n]);
            var mask = sample.Mask!;
            var inside = Array.ConvertAll(mask, GroundTruthRegion.Inside);
            var context = new ExplanationContext(model, sample.Pixels, sample.Label, options);
            correct += Logits.ArgMax(context.Forward.Logits) == sample.Label ? 1 : 0;
            for (var m = 0; m < runnable.Count; m++)
            {
                if (runnable[m].Reason is not null || n >= runnable[m].Plan.Images)
                {
                    continue;
                }

                var clock = Stopwatch.StartNew();
                var map = runnable[m].Plan.Method.Compute(context);
                var elapsed = clock.Elapsed.TotalSeconds; // the map alone; the shared passes are paid by the first method that reads them
                var curves = DeletionInsertion.Compute(context.Batches, sample.Pixels, map.Raw, sample.Label, Baseline);
                scores[m].Add(map, mask, inside, shape, curves, elapsed);
            }

            progress?.Report(new EvaluationProgress(n + 1, images));
        }

        var rows = runnable.Select((r, m) => scores[m].Summarize(r.Plan.Method.Name, r.Reason)).ToList();
        return new SaliencyEvaluationTable(subject, candidates.Length, PointingGame.DefaultTolerance, DeletionInsertion.Steps, Baseline,
            images == 0 ? double.NaN : (double)correct / images, rows);
    }

    /// <summary>
    /// Why a multi-label dataset is not scored (yet): each image is explained for its one true class, but a multi-label
    /// image's <see cref="IDataset.LabelOf"/> is a stratification key and its mask the union of every class's objects.
    /// </summary>
    public static string MultiLabelRefusal(IDataset dataset) =>
        $"Dataset {dataset?.Reference} is multi-label; the evaluation explains one true class per image against its mask, so it scores single-label datasets only (for now).";

    private static bool HasRegion(float[]? mask) => GroundTruthRegion.Any(mask);

    /// <summary>The per-image values of one method.</summary>
    private sealed class Scores
    {
        private readonly List<double> hits = [], energy = [], signed = [], absolute = [], deletion = [], insertion = [];
        private double seconds;
        private bool isSigned;

        public void Add(SaliencyMap map, float[] mask, bool[] inside, ModelShape shape, DeletionInsertionResult curves, double elapsed)
        {
            hits.Add(PointingGame.IsHit(map.Raw, inside, shape.Height, shape.Width) ? 1 : 0);
            energy.Add(EnergyPointingGame.Score(map.Normalized, inside));
            signed.Add(NormalizedCrossCorrelation.Compute(map.Raw, mask, NccSign.SignedValues));
            absolute.Add(NormalizedCrossCorrelation.Compute(map.Raw, mask, NccSign.AbsoluteValues));
            deletion.Add(curves.DeletionAuc);
            insertion.Add(curves.InsertionAuc);
            seconds += elapsed;
            isSigned |= map.IsSigned;
        }

        public MethodEvaluation Summarize(string method, string? unsupported) => new(
            method, hits.Count, isSigned, MetricSummary.Of(hits), MetricSummary.Of(energy), MetricSummary.Of(signed), MetricSummary.Of(absolute),
            MetricSummary.Of(deletion), MetricSummary.Of(insertion), hits.Count == 0 ? double.NaN : seconds / hits.Count, unsupported);
    }
}
