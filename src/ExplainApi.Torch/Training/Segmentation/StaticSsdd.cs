using System.Globalization;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Segmentation;
using ExplainApi.Core.Training;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// Static SSDD (Shimoda and Yanai, ICCV 2019, §3.4; the released <c>train_sssdd.py</c> and <c>precompute_sssdd.py</c>):
/// a segmenter trained on the seeds K with a <see cref="DifferenceDetector"/> beside it, on its detached features,
/// learning where K and its CRF refinement A differ; then each training image's K and A integrated
/// (<see cref="SsddIntegration"/>) with the static biases. The phase checkpoints in the work folder's "ssdd" subfolder, where it
/// also leaves both networks as one ONNX graph (<see cref="DetectorPath"/>) for /segment?stages=ssdd.
/// </summary>
public static class StaticSsdd
{
    public const string Phase = "ssdd", DetectorFile = "detector.onnx";
    private const int Chunk = 16;

    /// <param name="train">The training images' dataset indices; <paramref name="seeds"/> and <paramref name="advice"/> are in the same order.</param>
    /// <param name="diagnostics">Receives <see cref="DisputedPixels"/>' metrics over the training images (<c>ssdd.*</c>).</param>
    /// <returns>The refined masks, in <paramref name="train"/>'s order.</returns>
    public static byte[][] Run(TrainingRun run, IMultiLabelDataset dataset, int[] train, byte[][] seeds, byte[][] advice, SegmentationOptions options,
        CancellationToken cancellationToken, IDictionary<string, double>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.ConfigureThreads();
        var settings = options.Ssdd ?? SsddSettings.Default;
        var labels = train.Select(index => ImageLabels.FromMultiHot(dataset.LabelsOf(index)).Select(c => c + 1).ToArray()).ToArray();
        var erased = train.Select((_, n) => SsddIntegration.ErasedClasses(seeds[n], advice[n], labels[n], settings.Biases.ErasedRatio)).ToArray();
        var excluded = erased.Select((flags, n) => SsddIntegration.LostALabel(flags, labels[n])).ToArray();

        using var segmenter = SegmentationTraining.CreateModel(dataset, options);
        using var detector = new DifferenceDetector(options.Width, dataset.ClassNames.Count + 1);
        SeededInitialization.Apply(detector, options.Seed + 1);
        var segmenterParameters = segmenter.named_parameters().ToList();
        var detectorParameters = detector.named_parameters().ToList();
        using var segmenterAdam = new KeptAliveAdam(segmenterParameters.Select(p => p.parameter), options.LearningRate, beta1: 0.9, beta2: 0.999, weightDecay: 0);
        using var detectorAdam = new KeptAliveAdam(detectorParameters.Select(p => p.parameter), options.LearningRate, beta1: 0.9, beta2: 0.999, weightDecay: 0);
        var steps = new Steps(dataset, train, seeds, advice, excluded, options.BatchSize, segmenter, detector, segmenterAdam, detectorAdam);
        var content = new CheckpointContent()
            .Module("segmenter.", segmenter).Module("detector.", detector)
            .Adam("adam.segmenter.", segmenterAdam, [.. segmenterParameters.Select(p => p.name)])
            .Adam("adam.detector.", detectorAdam, [.. detectorParameters.Select(p => p.name)]);
        var phaseRun = run with { WorkDirectory = Path.Combine(run.WorkDirectory, Phase) };
        Directory.CreateDirectory(phaseRun.WorkDirectory);
        var fingerprint = string.Create(CultureInfo.InvariantCulture,
            $"static-ssdd {options.Fingerprint()} {settings.Fingerprint()} dataset={dataset.Reference} n={dataset.Count} train={train.Length}");
        segmenter.train();
        detector.train();
        new TrainingLoop(phaseRun, fingerprint, content, settings.Epochs, steps.PerEpoch, unchecked((ulong)(options.Seed + 1)) * 0x9E3779B97F4A7C15UL, Phase)
            .Run(steps, cancellationToken);

        segmenter.eval();
        detector.eval();
        // Exported before the masks are stored, so a version trained on them can serve the ssdd stage with these very networks.
        var onnx = DifferenceDetectorOnnx.Export(segmenter, detector, dataset.Height, dataset.Width);
        OutputFiles.WriteAtomically(DetectorPath(run), path => File.WriteAllBytes(path, onnx));
        var disputed = new DisputedPixels();
        var refined = Integrate(dataset, train, seeds, advice, erased, settings.Biases, segmenter, detector, disputed, cancellationToken);
        foreach (var (name, value) in disputed.Metrics($"{Phase}."))
        {
            diagnostics?.Add(name, value);
        }
        return refined;
    }

    /// <summary>Where <see cref="Run"/> leaves the static networks' ONNX graph (<see cref="DifferenceDetectorOnnx"/>).</summary>
    public static string DetectorPath(TrainingRun run) => Path.Combine(run.WorkDirectory, Phase, DetectorFile);

    private static byte[][] Integrate(IMultiLabelDataset dataset, int[] train, byte[][] seeds, byte[][] advice, bool[][] erased, SsddBiases biases,
        UNetSegmenter segmenter, DifferenceDetector detector, DisputedPixels disputed, CancellationToken cancellationToken)
    {
        var result = new byte[train.Length][];
        using var noGrad = no_grad();
        foreach (var positions in Enumerable.Range(0, train.Length).Chunk(Chunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (dK, dA) = Detect(dataset, train, seeds, advice, positions, segmenter, detector);
            var (logitsK, logitsA) = (dK.data<float>().ToArray(), dA.data<float>().ToArray());
            var plane = seeds[positions[0]].Length;
            for (var i = 0; i < positions.Length; i++)
            {
                var n = positions[i];
                var dKn = logitsK.AsSpan(i * plane, plane);
                var dAn = logitsA.AsSpan(i * plane, plane);
                result[n] = SsddIntegration.Integrate(seeds[n], advice[n], dKn, dAn, erased[n], biases);
                disputed.Add(dataset.Get(train[n]).Segmentation!, seeds[n], advice[n], dKn, dAn, result[n]);
            }
        }
        return result;
    }

    /// <summary>d_K and d_A [N, H, W] for the images at <paramref name="positions"/> of <paramref name="train"/> (the segmenter's features detached).</summary>
    private static (Tensor DK, Tensor DA) Detect(IDataset dataset, int[] train, byte[][] seeds, byte[][] advice, int[] positions,
        UNetSegmenter segmenter, DifferenceDetector detector)
    {
        var (inputs, knowledge) = ClassificationBatches.LoadSegmentation(dataset, positions.Select(n => train[n]).ToArray(), ByIndex(train, seeds, positions));
        var (_, early, head) = segmenter.ForwardWithFeatures(inputs);
        var shared = detector.Features(early.detach(), head.detach());
        return (detector.Detect(shared, knowledge), detector.Detect(shared, Labels(advice, positions, dataset.Height, dataset.Width)));
    }

    private static Dictionary<int, byte[]> ByIndex(int[] train, byte[][] masks, int[] positions) => positions.ToDictionary(n => train[n], n => masks[n]);

    private static Tensor Labels(byte[][] masks, int[] positions, int height, int width) =>
        LabelTensors.From([.. positions.Select(n => masks[n])], height, width);

    private sealed class Steps(IMultiLabelDataset dataset, int[] train, byte[][] seeds, byte[][] advice, bool[] excluded, int batchSize,
        UNetSegmenter segmenter, DifferenceDetector detector, KeptAliveAdam segmenterAdam, KeptAliveAdam detectorAdam) : ITrainingSteps
    {
        private int[] _order = [];

        public int PerEpoch { get; } = (train.Length + batchSize - 1) / batchSize;

        public IReadOnlyDictionary<string, double> Metrics => new Dictionary<string, double>();

        public void BeginEpoch(int epoch, SplitMix64 shuffler)
        {
            _order = [.. Enumerable.Range(0, train.Length)];
            shuffler.Shuffle(_order);
        }

        /// <summary>Cross-entropy of the segmenter on K; then the detector's balanced BCE on d_K and d_A against K ≠ A (its own optimizer).</summary>
        public IReadOnlyDictionary<string, double> Step(long step, int epoch, int position)
        {
            var positions = _order.AsSpan(position * batchSize, Math.Min(batchSize, _order.Length - (position * batchSize))).ToArray();
            using var scope = NewDisposeScope();
            var (inputs, knowledge) = ClassificationBatches.LoadSegmentation(dataset, positions.Select(n => train[n]).ToArray(), ByIndex(train, seeds, positions));
            var adviceLabels = Labels(advice, positions, dataset.Height, dataset.Width);
            var (logits, early, head) = segmenter.ForwardWithFeatures(inputs);
            var segmentationLoss = nn.functional.cross_entropy(logits, knowledge);
            segmenterAdam.ZeroGrad();
            segmentationLoss.backward();
            segmenterAdam.Step();

            var shared = detector.Features(early.detach(), head.detach());
            var (dK, dA) = (detector.Detect(shared, knowledge), detector.Detect(shared, adviceLabels));
            var differ = knowledge.ne(adviceLabels);
            var include = tensor(positions.Select(n => excluded[n] ? 0f : 1f).ToArray()); // SsddIntegration.LostALabel
            var detectorLoss = stack([DifferenceDetector.BalancedLoss(dK, differ, include), DifferenceDetector.BalancedLoss(dA, differ, include)]).mean();
            detectorAdam.ZeroGrad();
            detectorLoss.backward();
            detectorAdam.Step();
            return new Dictionary<string, double> { ["segmentation"] = segmentationLoss.item<float>(), ["differenceDetection"] = detectorLoss.item<float>() };
        }
    }
}
