using ExplainApi.Core.Datasets;

namespace ExplainApi.Bench;

/// <summary>Difference maps of <see cref="Batch"/> images per call: latency per call and the medians of its two parts.</summary>
public sealed record DifferenceMapLatency(int Batch, LatencySample Latency, double TranslateMs, double ClassifyMs)
{
    public double ImagesPerSecond => Batch / (Latency.Percentile(50) / 1000);
}

/// <summary>
/// The difference-map route's work after decoding, in process (<see cref="DifferenceMapModels.Run"/>): one generator
/// pass per image (ORT batches of at most 16), the linked classifier on the originals and on the translations, the
/// subtraction. Inputs are class-from squares images in model space; one image per call, then 32.
/// </summary>
public static class DifferenceMapLatencyBenchmark
{
    public static IReadOnlyList<DifferenceMapLatency> Run(DifferenceMapModels models, SquaresDataset dataset, BenchSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        var from = dataset.ClassNames.ToList().IndexOf(models.Translator.Direction.FromClass);
        var images = Enumerable.Range(0, dataset.Count).Where(i => dataset.LabelOf(i) == from).Take(BenchSettings.Batch).Select(i => dataset.Get(i).Pixels).ToArray();
        var results = new List<DifferenceMapLatency>();
        foreach (var batch in new[] { 1, BenchSettings.Batch })
        {
            var inputs = images[..batch];
            List<double> translate = [], classify = [];
            var latency = LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, batch == 1 ? settings.MethodBudget : settings.BatchBudget / 2, () =>
            {
                var run = models.Run(inputs);
                translate.Add(run.TranslateMilliseconds);
                classify.Add(run.ClassifyMilliseconds);
            });
            var n = latency.Count; // the warm-up's parts are the first of the lists
            var result = new DifferenceMapLatency(batch, latency, LatencySample.Percentile(translate[^n..], 50), LatencySample.Percentile(classify[^n..], 50));
            log.WriteLine($"  batch {batch}: n={n} p50 {latency.Percentile(50):0.0} ms, p95 {latency.Percentile(95):0.0} ms " +
                $"(generator {result.TranslateMs:0.0} ms, classifier {result.ClassifyMs:0.0} ms), {result.ImagesPerSecond:0.0} images/s");
            results.Add(result);
        }

        return results;
    }
}
