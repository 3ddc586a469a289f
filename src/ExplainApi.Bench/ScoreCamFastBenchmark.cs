using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Metrics;
using ExplainApi.Core.Saliency.Perturbation;
using ExplainApi.Core.Training;
using ExplainApi.Host.Explaining;
using ExplainApi.Host.Jobs;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using ExplainApi.Torch;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Bench;

/// <summary>One channel budget k: its p50 (null when not timed) and the Pearson with exact of each selection variant (mean, min over images).</summary>
public sealed record ScoreCamCurvePoint(int Channels, LatencySample? Latency, IReadOnlyDictionary<string, (double Mean, double Min)> Pearson);

/// <summary>A model's curve: k → time → Pearson with exact, the exact run and the masked forwards it ran.</summary>
public sealed record ScoreCamCurve(string Model, int K, int Images, int Forwards, LatencySample Exact, IReadOnlyList<ScoreCamCurvePoint> Points, double WeightCv);

/// <summary>The raw forward per image at each ORT batch size (the masked forwards' batch).</summary>
public sealed record ScoreCamBatchPoint(int Batch, double MsPerImage);

/// <summary>
/// Fast Score-CAM: for each model, the exact weights of every channel on each test image (one exact run), from which the
/// map of every selection variant (ranking × fill of the skipped channels) at every k follows without more forwards — the
/// kept channels' weights are the exact ones; then the served path (<see cref="ExplainExecution"/>, the default variant)
/// timed at each k and in exact mode, and the raw forward per image at the ORT batch sizes.
/// </summary>
public static class ScoreCamFastBenchmark
{
    public const ulong ResNet18Seed = 18;

    public static readonly (ChannelRanking Ranking, SkippedChannelWeight Fill)[] Variants =
    [
        (ChannelRanking.Energy, SkippedChannelWeight.Mean), (ChannelRanking.Energy, SkippedChannelWeight.Zero),
        (ChannelRanking.Max, SkippedChannelWeight.Mean), (ChannelRanking.Max, SkippedChannelWeight.Zero),
        (ChannelRanking.Variance, SkippedChannelWeight.Mean), (ChannelRanking.Variance, SkippedChannelWeight.Zero),
        (ChannelRanking.Energy, SkippedChannelWeight.TailMean), (ChannelRanking.Variance, SkippedChannelWeight.TailMean),
    ];

    public static string Label((ChannelRanking Ranking, SkippedChannelWeight Fill) v) => $"{v.Ranking.ToString().ToLowerInvariant()}+{(v.Fill == SkippedChannelWeight.TailMean ? "tail" : v.Fill.ToString().ToLowerInvariant())}";

    /// <summary>The section: the curve on the squares ResNet (1×112², K = 64) and on the imported ResNet-18 (3×224², K = 512), then the targets.</summary>
    public static async Task RunAsync(BenchReport report, BenchSettings settings, FileModelRegistry registry, string scratch, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        log.WriteLine("Fast Score-CAM");
        using (var squares = await SquaresClassifierAsync(registry, scratch, settings, log))
        {
            var all = Enumerable.Range(0, 31).Select(i => 1 << i).TakeWhile(c => c < squares.TargetChannels).ToArray();
            ScoreCamFastTables.Curve(report, Curve(squares, SquaresImages(settings.Quick ? 2 : 8, 112, 1), all, settings, log));
        }

        var images = SquaresImages(settings.Quick ? 1 : 3, ResNet18Onnx.Size, 3);
        using var resnet18 = await ResNet18Async(registry, scratch, settings.Accelerator, images[0]);
        var batches = Batches(resnet18, settings, 1, 4, 8, 16, 32);
        log.WriteLine("  ResNet-18 forward per image: " + string.Join(", ", batches.Select(b => $"batch {b.Batch}: {b.MsPerImage:0.00} ms")));
        var curve = Curve(resnet18, images, settings.Quick ? [32, 64] : [8, 16, 32, 64, 128, 256], settings, log);
        ScoreCamFastTables.Curve(report, curve);
        var servedBatch = resnet18.Served.Model.Explain(m => m.MaxBatch);
        ScoreCamFastTables.Targets(report, curve, batches, servedBatch, Ablation(resnet18, images[0], settings));
    }

    /// <summary>p50 of Eigen-CAM (the forward and an SVD, no extra pass) and of Ablation-CAM (+ K + 1 head passes), when the model supports them.</summary>
    private static (double Cam, double Ablation)? Ablation(BenchModel model, float[] image, BenchSettings settings)
    {
        var methods = new[] { "eigencam", "ablationcam" }.Select(n => SaliencyMethods.All.Single(m => m.Name == n)).ToArray();
        if (!methods.All(method => model.Served.Model.Explain(m => SaliencyMethods.Supports(method, m))))
        {
            return null;
        }

        var p50 = methods.Select(method => LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, settings.MethodBudget,
            () => MethodBenchmark.Explain(model, [image], method)).Percentile(50)).ToArray();
        return (p50[0], p50[1]);
    }

    /// <summary>
    /// The default classifier (width 16, depth 3: K = 64 at layer3) trained briefly on squares (seed 1; 4 epochs of batch 16 on 400
    /// images, quick: 1 on 200, which stays at chance): a seeded, untrained one gives every masked copy about the same probability, and then any fill is exact.
    /// </summary>
    private static async Task<BenchModel> SquaresClassifierAsync(FileModelRegistry registry, string scratch, BenchSettings settings, TextWriter log)
    {
        TorchRuntime.ConfigureThreads();
        var dataset = new SquaresDataset(count: settings.Quick ? 200 : 400, size: 112);
        var options = new JsonObject
        {
            ["epochs"] = settings.Quick ? 1 : 4, ["batchSize"] = 16, ["learningRate"] = 3e-3, ["width"] = BenchRun.DefaultWidth, ["depth"] = 3, ["earlyStoppingPatience"] = 0,
        };
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "scorecam-squares")).FullName;
        var output = Path.Combine(folder, "output");
        var run = new TrainingRun("bench-scorecam", options, dataset, Directory.CreateDirectory(Path.Combine(folder, "work")).FullName, output,
            new JobsOptions().CheckpointEverySteps, new Progress<TrainingProgress>());
        var trained = ClassifierTrainer.Train(run, CancellationToken.None);
        log.WriteLine($"  squares classifier trained: validation accuracy {trained.Metrics.GetValueOrDefault("validationAccuracy"):0.000}");
        return await BenchModel.LoadAsync(registry, await registry.RegisterAsync("scorecam-squares", trained.Under(output), null, dataset.Reference, CancellationToken.None),
            settings.Accelerator);
    }

    /// <summary>The squares test images (the last indices of the squares set of seed 2, which training never saw) at <paramref name="size"/>², replicated to <paramref name="channels"/>.</summary>
    public static IReadOnlyList<float[]> SquaresImages(int count, int size, int channels)
    {
        var dataset = new SquaresDataset(size: size, seed: 2);
        return [.. Enumerable.Range(dataset.Count - count, count).Select(i =>
        {
            var pixels = dataset.Get(i).Pixels;
            return Enumerable.Repeat(pixels, channels).SelectMany(p => p).ToArray();
        })];
    }

    /// <summary>The ResNet-18 registered as an import (forward-only ONNX, empty weights file, target tensor by name).</summary>
    public static async Task<BenchModel> ResNet18Async(FileModelRegistry registry, string scratch, AcceleratorPreference accelerator, float[] calibration)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "resnet18")).FullName;
        var onnx = Path.Combine(folder, ModelManifest.OnnxFileName);
        var weights = Path.Combine(folder, ModelManifest.WeightsFileName);
        // Zero FC bias: the logits scale linearly with the FC weights, so one run at scale 1 calibrates them.
        var logits = CalibrationLogits(ResNet18Onnx.Build(ResNet18Seed), calibration, accelerator);
        var mean = logits.Average();
        var std = Math.Sqrt(logits.Select(v => (v - mean) * (v - mean)).Average());
        File.WriteAllBytes(onnx, ResNet18Onnx.Build(ResNet18Seed, ResNet18Onnx.LogitStd / std));
        File.WriteAllBytes(weights, []);
        var input = new ModelInputSpec(3, ResNet18Onnx.Size, ResNet18Onnx.Size, InputNormalization.Window(3), AllowResize: false, ResNet18Onnx.Input);
        var classes = Enumerable.Range(0, ResNet18Onnx.Classes).Select(i => $"class{i}").ToArray();
        var trained = TrainedModel.Classifier(onnx, weights, input, classes, [ResNet18Onnx.TargetTensor], new Dictionary<string, double>());
        return await BenchModel.LoadAsync(registry, await registry.RegisterAsync("resnet18-import", trained, null, null, CancellationToken.None), accelerator);
    }

    public static ScoreCamCurve Curve(BenchModel model, IReadOnlyList<float[]> images, IReadOnlyList<int> timed, BenchSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var k = model.TargetChannels;
        var budgets = Enumerable.Range(0, 31).Select(i => 1 << i).TakeWhile(c => c < k).Append(k).ToArray();
        var pearson = budgets.ToDictionary(c => c, _ => Variants.ToDictionary(Label, _ => new List<double>()));
        var forwards = 0;
        var cvs = new List<double>();
        foreach (var image in images)
        {
            model.Served.Model.Explain(m =>
            {
                var pass = m.Forward(image, 1);
                var shape = pass.ActivationShape ?? throw new InvalidOperationException("The model has no target layer.");
                var target = Logits.ArgMax(pass.Logits);
                var inputs = new SaliencyInputs(pass.Activations!, shape.Channels, shape.Height, shape.Width, m.Shape.Height, m.Shape.Width, target);
                var context = new ForwardContext(m.Shape.Channels, m.Shape.Height, m.Shape.Width, m.Shape.Classes,
                    (x, n) => m.Forward(x, n).Logits, m.MaxBatch) { Activation = m.OutputActivation };
                var exactWeights = new ScoreCam().Weights(inputs, context, image);
                var exact = ScoreCam.Map(inputs, exactWeights).Raw;
                var varying = ScoreCam.Varying(inputs);
                forwards = Math.Max(forwards, varying.Count);
                // How far the exact weights are from uniform: the mean fill is exact when they are all equal.
                var w = varying.Select(i => exactWeights[i]).ToArray();
                var mean = w.Average();
                cvs.Add(Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average()) / Math.Abs(mean));
                foreach (var variant in Variants)
                {
                    var ranked = ScoreCamChannels.Ranked(inputs.Activations, inputs.Positions, varying, variant.Ranking);
                    foreach (var c in budgets)
                    {
                        var kept = ranked[..Math.Min(c, ranked.Length)];
                        var weights = ScoreCamChannels.Fill(k, kept, [.. kept.Select(i => exactWeights[i])], ranked[kept.Length..], variant.Fill);
                        pearson[c][Label(variant)].Add(NormalizedCrossCorrelation.Compute(ScoreCam.Map(inputs, weights).Raw, exact, NccSign.SignedValues));
                    }
                }

                return 0;
            });
        }

        var image0 = images[0];
        var scoreCam = SaliencyMethods.All.Single(m => m.Name == "scorecam");
        LatencySample Time(SaliencyOptions options) => LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, settings.MethodBudget, () =>
        {
            var (run, problem) = ExplainExecution.Run(model.Served, [image0], [scoreCam], null, options, model.Cache);
            _ = run ?? throw new InvalidOperationException($"scorecam answered a problem: {problem?.ProblemDetails.Detail}");
        });

        var exactTime = Time(SaliencyOptions.Default);
        log.WriteLine($"  {model.Label}: exact ({forwards} masked forwards) p50 {exactTime.Percentile(50):0.0} ms; exact weights std/mean {cvs.Average():0.000}");
        var points = new List<ScoreCamCurvePoint>();
        foreach (var c in budgets)
        {
            var latency = timed.Contains(c) && c < k ? Time(SaliencyOptions.Default with { ScoreCamMode = ScoreCamMode.Fast, ScoreCamChannels = c }) : null;
            var values = pearson[c].ToDictionary(p => p.Key, p => (p.Value.Average(), p.Value.Min()));
            points.Add(new ScoreCamCurvePoint(c, latency, values));
            log.WriteLine($"    k = {c}: " + (latency is null ? "" : $"p50 {latency.Percentile(50):0.0} ms, ") +
                string.Join(", ", values.Select(v => $"{v.Key} {v.Value.Item1:0.0000} (min {v.Value.Item2:0.0000})")));
        }

        return new ScoreCamCurve(model.Label, k, images.Count, forwards, exactTime, points, cvs.Average());
    }

    /// <summary>The raw forward's milliseconds per image at each batch size (p50 of a batch ÷ batch).</summary>
    public static IReadOnlyList<ScoreCamBatchPoint> Batches(BenchModel model, BenchSettings settings, params int[] batches) =>
        [.. RawForwardBenchmark.Run(model, settings, batches).Select(r => new ScoreCamBatchPoint(r.Batch, r.Latency.Percentile(50) / r.Batch))];

    private static float[] CalibrationLogits(byte[] onnx, float[] image, AcceleratorPreference accelerator)
    {
        using var session = new OnnxSessionFactory().Create(onnx, accelerator);
        var tracker = new OrtValueTracker();
        using var value = tracker.Input(image, [1, 3, ResNet18Onnx.Size, ResNet18Onnx.Size]);
        using var outputs = tracker.Run(session.Session, [ResNet18Onnx.Input], value.Values, [ResNet18Onnx.Logits]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
