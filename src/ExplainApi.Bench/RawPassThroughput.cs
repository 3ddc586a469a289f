using System.Diagnostics;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Export;
using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Bench;

/// <summary>Images/s of one raw ORT pass at one batch size, <see cref="Runs"/> runs at once under one thread plan.</summary>
public sealed record RawPassResult(string Pass, string Plan, int Batch, int Runs, int Calls, double Seconds)
{
    public double ImagesPerSecond => Calls * (double)Batch / Seconds;
}

/// <summary>
/// The ceilings of dynamic batching: the exported model's pruned forward (logits and activations, as the serving forward
/// session) and its full graph (forward + backward fed by <c>target</c>, the gradient path), one shared session, inputs
/// prepared once, <c>runs</c> threads calling Run in a closed loop for a fixed time: no decoding, no saliency, no HTTP.
/// </summary>
public static class RawPassThroughput
{
    public const string Forward = "forward", ForwardBackward = "forward+backward";

    /// <param name="plan">Null: ORT's defaults (an intra-op pool of one thread per core for every session), as before the thread plan.</param>
    public static RawPassResult Measure(BenchModel model, string pass, int batch, OrtThreadPlan? plan, int runs, TimeSpan duration, AcceleratorPreference accelerator)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = File.ReadAllBytes(model.OnnxPath);
        var gradients = pass == ForwardBackward;
        using var session = new OnnxSessionFactory(threads: plan).Create(
            gradients ? graph : OnnxGraphPruner.Prune(graph, [ClassifierOnnxContract.Logits, ClassifierOnnxContract.Activations]), accelerator);
        var input = model.Manifest.Input;
        var images = model.Batch(batch, 300);
        using var image = OrtValue.CreateTensorValueFromMemory(images, [batch, input.Channels, input.Height, input.Width]);
        using var target = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(-1L, batch).ToArray(), [batch]);
        string[] names = gradients ? [ClassifierOnnxContract.Input, ClassifierOnnxContract.Target] : [ClassifierOnnxContract.Input];
        OrtValue[] values = gradients ? [image, target] : [image];
        var outputs = session.Session.OutputNames.ToArray();
        void Once()
        {
            using var options = new RunOptions();
            using var results = session.Session.Run(options, names, values, outputs);
        }

        Once(); // warm-up: ORT allocates lazily
        var calls = 0;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, runs).Select(_ => new Thread(() =>
        {
            while (clock.Elapsed < duration)
            {
                Once();
                Interlocked.Increment(ref calls);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var planText = plan is null ? $"ORT default ({Environment.ProcessorCount} intra-op threads per run)" : $"{plan.IntraOpThreads} intra-op thread(s) × {plan.MaxConcurrentRuns} run(s), spinning {(plan.AllowSpinning ? "on" : "off")}";
        return new RawPassResult(pass, planText, batch, runs, calls, clock.Elapsed.TotalSeconds);
    }
}
