using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// Any subset of the classes per image: C independent sigmoids and the multi-label soft-margin loss (PyTorch's
/// MultiLabelSoftMarginLoss), ℓ(x, y) = −(1/C) Σ_c [y_c log σ(x_c) + (1 − y_c) log(1 − σ(x_c))], i.e. the mean over
/// classes of the binary cross-entropy with logits, against the multi-hot <see cref="Sample.Labels"/>.
/// </summary>
public sealed class MultiLabelObjective : ClassifierObjective
{
    public static MultiLabelObjective Instance { get; } = new();

    public override OutputActivation Activation => OutputActivation.Sigmoid;

    public override (Tensor Inputs, Tensor Targets) Load(IDataset dataset, ReadOnlySpan<int> indices) => ClassificationBatches.LoadMultiHot(dataset, indices);

    public override Tensor Loss(Tensor logits, Tensor targets, nn.Reduction reduction = nn.Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        // binary_cross_entropy_with_logits uses the stable form max(x, 0) − x·y + log(1 + e^−|x|).
        var perImage = nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.None).mean([1]);
        return reduction switch
        {
            nn.Reduction.Sum => perImage.sum(),
            nn.Reduction.None => perImage,
            _ => perImage.mean(),
        };
    }

    public override Tensor Probabilities(Tensor logits) => logits.sigmoid();

    public override ClassifierMetrics Metrics(float[] probabilities, IDataset dataset, int[] indices, double loss)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var multiLabel = dataset as IMultiLabelDataset ?? throw new ArgumentException($"Dataset {dataset.Reference} is not multi-label.", nameof(dataset));
        return ClassifierMetrics.FromMultiLabel(probabilities, [.. indices.Select(multiLabel.LabelsOf)], dataset.ClassNames.Count, loss);
    }
}
