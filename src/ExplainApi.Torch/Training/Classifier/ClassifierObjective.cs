using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// What single-label and multi-label classifier training differ in, behind the one <see cref="ClassifierTrainingLoop"/>:
/// the targets a batch carries, the loss, how logits become probabilities and the metrics of those probabilities.
/// The dataset decides: an <see cref="IMultiLabelDataset"/> gets <see cref="MultiLabelObjective"/>, every other one
/// <see cref="SingleLabelObjective"/>.
/// </summary>
public abstract class ClassifierObjective
{
    public static ClassifierObjective For(IDataset dataset) =>
        dataset is IMultiLabelDataset ? MultiLabelObjective.Instance : SingleLabelObjective.Instance;

    /// <summary>Recorded in the manifest, so serving turns logits into the same probabilities.</summary>
    public abstract OutputActivation Activation { get; }

    /// <summary>Inputs [n, C, H, W] and the targets <see cref="Loss"/> takes, in the caller's dispose scope.</summary>
    public abstract (Tensor Inputs, Tensor Targets) Load(IDataset dataset, ReadOnlySpan<int> indices);

    /// <summary>The per-image loss, averaged (<see cref="nn.Reduction.Mean"/>) or summed over the batch.</summary>
    public abstract Tensor Loss(Tensor logits, Tensor targets, nn.Reduction reduction = nn.Reduction.Mean);

    /// <summary>[n, classes] class probabilities of the logits.</summary>
    public abstract Tensor Probabilities(Tensor logits);

    /// <param name="probabilities">[n, classes] row-major, of the samples at <paramref name="indices"/>.</param>
    public abstract ClassifierMetrics Metrics(float[] probabilities, IDataset dataset, int[] indices, double loss);
}

/// <summary>One class per image: softmax, cross-entropy against <see cref="Sample.Label"/>.</summary>
public sealed class SingleLabelObjective : ClassifierObjective
{
    public static SingleLabelObjective Instance { get; } = new();

    public override OutputActivation Activation => OutputActivation.Softmax;

    public override (Tensor Inputs, Tensor Targets) Load(IDataset dataset, ReadOnlySpan<int> indices) => ClassificationBatches.Load(dataset, indices);

    public override Tensor Loss(Tensor logits, Tensor targets, nn.Reduction reduction = nn.Reduction.Mean) =>
        nn.functional.cross_entropy(logits, targets, reduction: reduction);

    public override Tensor Probabilities(Tensor logits) => logits.softmax(1);

    public override ClassifierMetrics Metrics(float[] probabilities, IDataset dataset, int[] indices, double loss) =>
        ClassifierMetrics.From(probabilities, [.. indices.Select(dataset.LabelOf)], dataset.ClassNames.Count, loss);
}
