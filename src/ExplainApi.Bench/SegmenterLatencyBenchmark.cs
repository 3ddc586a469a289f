using System.Diagnostics;
using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;
using ExplainApi.Core.Training;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using ExplainApi.Torch.Training.Segmentation;

namespace ExplainApi.Bench;

/// <summary>The segment route's work after decoding for <see cref="Batch"/> images per call: the served U-Net, then the argmax label maps.</summary>
public sealed record SegmenterLatency(int Batch, LatencySample Latency, double NetworkMs, double LabelsMs)
{
    public double ImagesPerSecond => Batch / (Latency.Percentile(50) / 1000);
}

/// <summary>
/// A segmentation model as the segmentation job registers one (the U-Net at the job's default width 16 and depth 3,
/// 112² lesions, weights untrained: latency does not depend on them), served by ONNX Runtime through
/// <see cref="SegmentationAdapter"/> (batches of at most 16), then <see cref="LabelMap.ArgMax"/> per image.
/// </summary>
public static class SegmenterLatencyBenchmark
{
    public static async Task<IReadOnlyList<SegmenterLatency>> RunAsync(BenchSettings settings, string work, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var dataset = new LesionsDataset(new LesionsOptions { Count = BenchSettings.Batch, Size = 112, Seed = 1, Background = LesionBackground.Noise });
        var registry = new FileModelRegistry(Path.Combine(work, "segmentation-models"));
        var folder = Directory.CreateDirectory(Path.Combine(work, "segmentation-exports")).FullName;
        var options = SegmentationOptions.From(null);
        using (var network = SegmentationTraining.CreateModel(dataset, options))
        {
            network.eval();
            File.WriteAllBytes(Path.Combine(folder, SegmentationTrainer.SegmenterFile), SegmenterOnnx.Export(network, dataset.Height, dataset.Width));
        }

        var trained = new TrainedModel(ModelTask.Segmentation,
            new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: true, SegmentationOnnxContract.Input),
            [new ModelGraph(SegmentationTrainer.SegmenterRole, SegmentationTrainer.SegmenterFile)], [], new Dictionary<string, double>(),
            Segmentation: new SegmentationSection(SegmentationTraining.ClassNames(dataset), SegmentationTrainer.SegmenterRole, SegmentationOptions.GroundTruth));
        var manifest = await registry.RegisterAsync("lesion-segmenter", trained.Under(folder), trainingJob: null, dataset: null, CancellationToken.None);
        using var cache = new ModelSessionCache(new OnnxSessionFactory(), settings.Accelerator);
        var status = await cache.EnsureLoadedAsync(manifest, registry.VersionDirectory(manifest.Name, manifest.Version));
        if (status.FailureReason is { } why)
        {
            throw new InvalidOperationException($"The benchmark's segmenter did not load: {why}");
        }
        if (!cache.TryGet(manifest.Name, manifest.Version, out var loaded) || loaded.Adapter is not SegmentationAdapter adapter)
        {
            throw new InvalidOperationException("The benchmark's segmenter loaded without a segmentation adapter.");
        }

        var (classes, plane) = (adapter.Classes, dataset.Height * dataset.Width);
        var images = Enumerable.Range(0, BenchSettings.Batch).Select(i => dataset.Get(i).Pixels).ToArray();
        var results = new List<SegmenterLatency>();
        foreach (var batch in new[] { 1, BenchSettings.Batch })
        {
            var inputs = images[..batch].SelectMany(p => p).ToArray();
            List<double> network = [], labels = [];
            var latency = LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, batch == 1 ? settings.MethodBudget : settings.BatchBudget / 2, () =>
            {
                var clock = Stopwatch.StartNew();
                var probabilities = adapter.Segment(inputs, batch);
                network.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                for (var n = 0; n < batch; n++)
                {
                    _ = LabelMap.ArgMax(probabilities.AsSpan(n * classes * plane, classes * plane), classes, dataset.Height, dataset.Width);
                }
                labels.Add(clock.Elapsed.TotalMilliseconds);
            });
            var count = latency.Count;
            var result = new SegmenterLatency(batch, latency, LatencySample.Percentile(network[^count..], 50), LatencySample.Percentile(labels[^count..], 50));
            log.WriteLine($"  batch {batch}: n={count} p50 {latency.Percentile(50):0.0} ms (network {result.NetworkMs:0.0} ms, labels {result.LabelsMs:0.0} ms), " +
                $"{result.ImagesPerSecond:0.0} images/s");
            results.Add(result);
        }

        return results;
    }
}
