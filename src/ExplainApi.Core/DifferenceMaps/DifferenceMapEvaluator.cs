using System.Diagnostics;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.DifferenceMaps;

/// <summary>NCC of one subtype's images (e.g. squares subtype A or B), signed and absolute.</summary>
public sealed record SubtypeNcc(string Subtype, MetricSummary NccSigned, MetricSummary NccAbsolute);

/// <summary>
/// One direction's scores (METHODS.md §2 "Evaluating difference maps"): NCC of the map with the ground-truth change,
/// signed and absolute, overall and per subtype; the classifier's flip rate to the target class on the translations;
/// mean |map| per pixel and the share of Σ|map| inside the ground-truth region (1 − it is the energy outside).
/// </summary>
public sealed record DifferenceMapScores(string Direction, string FromClass, string ToClass, int Images, MetricSummary NccSigned,
    MetricSummary NccAbsolute, IReadOnlyList<SubtypeNcc> Subtypes, double FlipRate, MetricSummary MeanAbsoluteMap, MetricSummary EnergyInside,
    double SecondsPerImage);

/// <summary>
/// Scores difference maps against the dataset's masks. The mask marks the evidence of the class an image has
/// (e.g. the squares' boxes in class 1); translating it away changes the image by −mask up to scale, so the signed
/// ground truth is −mask (VA-GAN, Baumgartner et al. 2018: the map y − x against x_c0 − x_c1). Multi-channel maps are
/// averaged over channels first. Only images with a non-empty mask count.
/// </summary>
public static class DifferenceMapEvaluator
{
    public static DifferenceMapScores Evaluate(IImageTranslator translator, IExplainableModel? classifier, IDataset dataset, IReadOnlyList<int> images,
        Func<int, string?>? subtypeOf = null, int batch = 16, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(translator);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(images);
        var direction = translator.Direction;
        var target = DifferenceSummarizer.ClassIndex(dataset.ClassNames, direction.ToClass);
        List<double> signed = [], absolute = [], meanAbsolute = [], inside = [];
        var bySubtype = new SortedDictionary<string, (List<double> Signed, List<double> Absolute)>(StringComparer.Ordinal);
        var (flips, done) = (0, 0);
        var clock = Stopwatch.StartNew();
        foreach (var image in TranslationPass.Run(translator, classifier, dataset, images, batch, cancellationToken))
        {
            var mask = image.Sample.Mask ?? throw new ArgumentException($"Dataset {dataset.Reference} has no ground-truth masks.", nameof(dataset));
            progress?.Report(new EvaluationProgress(++done, images.Count));
            if (!GroundTruthRegion.Any(mask))
            {
                continue;
            }

            var map = MapChannels.Mean(image.Map, image.Map.Length / mask.Length);
            var truth = Array.ConvertAll(mask, v => -v);
            var (s, a) = (NormalizedCrossCorrelation.Compute(map, truth, NccSign.SignedValues), NormalizedCrossCorrelation.Compute(map, truth, NccSign.AbsoluteValues));
            signed.Add(s);
            absolute.Add(a);
            var (total, within) = (0.0, 0.0);
            for (var i = 0; i < map.Length; i++)
            {
                total += Math.Abs(map[i]);
                within += GroundTruthRegion.Inside(mask[i]) ? Math.Abs(map[i]) : 0;
            }

            meanAbsolute.Add(total / map.Length);
            inside.Add(total > 0 ? within / total : double.NaN);
            flips += image.PredictedAfter == target ? 1 : 0;
            if (subtypeOf?.Invoke(image.Index) is { } subtype)
            {
                var lists = bySubtype.TryGetValue(subtype, out var found) ? found : bySubtype[subtype] = ([], []);
                lists.Signed.Add(s);
                lists.Absolute.Add(a);
            }
        }

        var scored = signed.Count;
        return new DifferenceMapScores(direction.Name, direction.FromClass, direction.ToClass, scored, MetricSummary.Of(signed), MetricSummary.Of(absolute),
            [.. bySubtype.Select(kv => new SubtypeNcc(kv.Key, MetricSummary.Of(kv.Value.Signed), MetricSummary.Of(kv.Value.Absolute)))],
            classifier is null || scored == 0 ? double.NaN : (double)flips / scored,
            MetricSummary.Of(meanAbsolute), MetricSummary.Of(inside.Where(double.IsFinite)), scored == 0 ? double.NaN : clock.Elapsed.TotalSeconds / done);
    }
}
