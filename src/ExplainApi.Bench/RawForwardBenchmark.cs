using ExplainApi.Onnx;
using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Serving;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Bench;

/// <summary>Images/s of the raw ONNX Runtime forward at one batch size.</summary>
public sealed record RawForwardResult(int Batch, LatencySample Latency)
{
    public double ImagesPerSecond => Batch / (Latency.Percentile(50) / 1000);
}

/// <summary>
/// The ceiling the service is compared with: the same exported model pruned to its logits (as the serving forward
/// session is, so the backward graph is not run), one InferenceSession.Run per batch on the run's provider (CPU unless --accelerator), inputs
/// prepared once; no decoding, no saliency, no HTTP.
/// </summary>
public static class RawForwardBenchmark
{
    public static IReadOnlyList<RawForwardResult> Run(BenchModel model, BenchSettings settings, params int[] batches)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        var pruned = OnnxGraphPruner.Prune(File.ReadAllBytes(model.OnnxPath), [ResNetOnnx.Logits]);
        using var session = new OnnxSessionFactory().Create(pruned, settings.Accelerator);
        var tracker = new OrtValueTracker();
        var input = model.Manifest.Input;
        var results = new List<RawForwardResult>();
        foreach (var batch in batches)
        {
            var data = model.Batch(batch, 200);
            using var value = tracker.Input(data, [batch, input.Channels, input.Height, input.Width]);
            var sample = LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, settings.ForwardBudget, () =>
            {
                using var outputs = tracker.Run(session.Session, [ResNetOnnx.Input], value.Values, [ResNetOnnx.Logits]);
            });
            results.Add(new RawForwardResult(batch, sample));
        }

        return results;
    }

    /// <summary>Milliseconds of one raw forward at batch 1 (p50): Score-CAM's cost is about K of these.</summary>
    public static double SingleForwardMs(BenchModel model, BenchSettings settings) => Run(model, settings, 1)[0].Latency.Percentile(50);
}
