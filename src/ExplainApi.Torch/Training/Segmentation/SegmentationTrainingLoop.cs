using ExplainApi.Core.Datasets;
using ExplainApi.Core.Training;
using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>What a segmentation run ends with: the metrics of the kept weights.</summary>
/// <param name="BestEpoch">1-based epoch whose weights were kept (the last one for pseudo-masks).</param>
/// <param name="Test">Metrics on the held-out test set, or null when <see cref="SegmentationOptions.TestFraction"/> is 0.</param>
public sealed record SegmentationTrainingResult(SegmenterMetrics Validation, int EpochsRun, int BestEpoch, SegmenterMetrics? Test = null);

/// <summary>
/// The steps of a <see cref="UNetSegmenter"/> inside a <see cref="TrainingLoop"/>: Adam (β = 0.9, 0.999; constant or poly rate) on the per-pixel
/// cross-entropy over the K classes (optionally class-weighted), seeded shuffling, validation after every epoch
/// (<see cref="SegmenterMetrics"/>), keeping the weights of the lowest validation loss on true masks, or of the last epoch on
/// pseudo-masks. Each step runs in its own dispose scope.
/// <para>The checkpoint holds <c>model.*</c>, <c>adam.exp_avg.*</c>, <c>adam.exp_avg_sq.*</c>, <c>early_stopping</c>, <c>best.*</c> and <c>validation_metrics</c>.</para>
/// </summary>
/// <param name="masks">The training images' pseudo-masks by dataset index (null: the dataset's own); validation always scores the
/// true masks, but only selects without pseudo-masks: weak supervision assumes no pixel labels (the SSDD paper trains a fixed length).</param>
/// <param name="dynamic">Dynamic SSDD's objective instead of plain cross-entropy (its modules join the checkpoint).</param>
public sealed class SegmentationTrainingLoop(
    TrainingRun run, SegmentationOptions options, StratifiedSplit split, float[]? classWeights, string fingerprint, IReadOnlyDictionary<int, byte[]>? masks = null,
    DynamicSsdd? dynamic = null)
{
    private const string BestPrefix = "best.", ValidationName = "validation_metrics";

    private readonly int _stepsPerEpoch = (split.Train.Length + options.BatchSize - 1) / options.BatchSize;

    public SegmentationTrainingResult Run(UNetSegmenter model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameters = model.named_parameters().ToList();
        using var optimizer = new KeptAliveAdam(parameters.Select(p => p.parameter), options.LearningRate, beta1: 0.9, beta2: 0.999, weightDecay: 0);
        var best = new EarlyStopping(0); // never stops early; keeps the best weights
        var steps = new Steps(run, options, split, _stepsPerEpoch, model, optimizer, best, classWeights, masks, dynamic);
        var content = new CheckpointContent()
            .Module("model.", model)
            .Adam("adam.", optimizer, [.. parameters.Select(p => p.name)])
            .Tensors(() => best.Checkpoint(BestPrefix), saved => best.Restore(saved, BestPrefix))
            .Scalar("epoch_loss_sum", () => steps.LossSum, v => steps.LossSum = v)
            .Tensors(() => steps.LastValidation is { } last ? [Pack(last)] : [], saved => steps.LastValidation = Unpack(saved));
        dynamic?.AddTo(content);
        var loop = new TrainingLoop(run, fingerprint, content, options.Epochs, _stepsPerEpoch, unchecked((ulong)options.Seed) * 0x9E3779B97F4A7C15UL);
        model.train();
        var epochs = loop.Run(steps, cancellationToken);

        if (masks is null)
        {
            best.RestoreBest(model);
        }
        return new SegmentationTrainingResult(Evaluate(model, run.Dataset, split.Validation, classWeights), epochs, masks is null ? best.BestEpoch + 1 : epochs);
    }

    /// <summary><see cref="SegmenterMetrics.Evaluate"/> with the run's class weights (null: unweighted).</summary>
    public static SegmenterMetrics Evaluate(UNetSegmenter model, IDataset dataset, IReadOnlyList<int> indices, float[]? classWeights)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var weights = classWeights is null ? null : tensor(classWeights);
        return SegmenterMetrics.Evaluate(model, dataset, indices, model.Classes, weights);
    }

    /// <summary>The latest validation metrics as one tensor (loss, pixel accuracy, mIoU, IoU per class with NaN for none), so a resumed run reports them.</summary>
    private static NamedTensor Pack(SegmenterMetrics metrics)
    {
        float[] values = [(float)metrics.Loss, (float)metrics.PixelAccuracy, (float)metrics.MeanIoU, .. metrics.IoU.Select(v => (float)(v ?? double.NaN))];
        return new NamedTensor(ValidationName, [values.Length], values);
    }

    private static SegmenterMetrics? Unpack(IReadOnlyDictionary<string, NamedTensor> saved) =>
        saved.TryGetValue(ValidationName, out var t) && t.Values.Length > 3
            ? new SegmenterMetrics(t.Values[0], t.Values[1], t.Values[2], [.. t.Values.Skip(3).Select(v => float.IsNaN(v) ? (double?)null : v)])
            : null;

    private sealed class Steps(TrainingRun run, SegmentationOptions options, StratifiedSplit split, int stepsPerEpoch, UNetSegmenter model,
        KeptAliveAdam optimizer, EarlyStopping best, float[]? classWeights, IReadOnlyDictionary<int, byte[]>? masks, DynamicSsdd? dynamic) : ITrainingSteps
    {
        private readonly IReadOnlyList<string> _classNames = SegmentationTraining.ClassNames(run.Dataset);
        private int[] _order = [];
        public double LossSum { get; set; }

        public SegmenterMetrics? LastValidation { get; set; }

        public IReadOnlyDictionary<string, double> Metrics => LastValidation?.ToDictionary(_classNames) ?? [];

        public void BeginEpoch(int epoch, SplitMix64 shuffler)
        {
            _order = (int[])split.Train.Clone();
            shuffler.Shuffle(_order);
        }

        public IReadOnlyDictionary<string, double> Step(long step, int epoch, int position)
        {
            var batch = _order.AsSpan(position * options.BatchSize, Math.Min(options.BatchSize, _order.Length - position * options.BatchSize));
            using var scope = NewDisposeScope();
            var (inputs, targets) = ClassificationBatches.LoadSegmentation(run.Dataset, batch, masks);
            var weights = classWeights is null ? null : tensor(classWeights);
            optimizer.LearningRate = options.LearningRate * (options.PolyLearningRate ? PolyDecay.Factor(step, (long)options.Epochs * stepsPerEpoch) : 1);
            optimizer.ZeroGrad();
            var (loss, detection) = dynamic is null ? (nn.functional.cross_entropy(model.call(inputs), targets, weights), (double?)null) : dynamic.Loss(model, inputs, targets, batch, weights);
            loss.backward();
            optimizer.Step();
            dynamic?.AfterBackward();
            var value = loss.item<float>();
            LossSum += value;
            return detection is { } d
                ? new Dictionary<string, double> { ["train"] = value, ["differenceDetection"] = d }
                : new Dictionary<string, double> { ["train"] = value };
        }

        public void AfterStep(TrainingLoop loop, int epoch, bool epochDone)
        {
            if (!epochDone)
            {
                return;
            }
            var validation = Evaluate(model, run.Dataset, split.Validation, classWeights);
            LastValidation = validation;
            if (masks is null)
            {
                best.Observe(epoch, validation.Loss, model);
            }
            loop.Report("validating", epoch, new Dictionary<string, double> { ["train"] = LossSum / stepsPerEpoch }, Metrics);
            LossSum = 0;
        }
    }
}
