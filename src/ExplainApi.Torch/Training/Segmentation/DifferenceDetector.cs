using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// SSDD's difference-detection network (Shimoda and Yanai, ICCV 2019, §3.2): from the segmenter's early and head
/// features (detached by the caller, so its loss never reaches the segmenter) a shared feature map, then per mask a
/// conv pair over [features, one-hot mask] and a 1×1 conv to one logit per pixel: "this mask differs from the other here".
/// </summary>
public sealed class DifferenceDetector : nn.Module
{
    private readonly Sequential features, detect;
    private readonly Conv2d logit;

    /// <param name="width">w: the channels of each of the segmenter's two feature maps.</param>
    /// <param name="classes">K: the one-hot mask's channels (background included).</param>
    public DifferenceDetector(int width, int classes)
        : base(nameof(DifferenceDetector))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Classes = classes;
        using var scope = NewDisposeScope(); // as UNetSegmenter: frees what biased convolutions leave from initialisation
        features = ConvBlocks.Pair(2L * width, width);
        detect = ConvBlocks.Pair(width + classes, width);
        logit = nn.Conv2d(width, 1, 1);
        RegisterComponents();
    }

    public int Classes { get; }

    /// <summary>The layers in forward order, for the exporter.</summary>
    internal (Sequential Features, Sequential Detect, Conv2d Logit) Stages => (features, detect, logit);

    /// <summary>The features shared by both masks' detections, from the segmenter's early and head maps [N, w, H, W].</summary>
    public Tensor Features(Tensor early, Tensor head) => features.call(cat([head, early], 1));

    /// <param name="mask">Labels [N, H, W] (int64).</param>
    /// <returns>The logits [N, H, W].</returns>
    public Tensor Detect(Tensor features, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var oneHot = nn.functional.one_hot(mask, Classes).permute(0, 3, 1, 2).to_type(ScalarType.Float32);
        return logit.call(detect.call(cat([features, oneHot], 1))).squeeze(1);
    }

    /// <summary>
    /// The class-balanced BCE of the released code: per image, the mean BCE over pixels where the masks agree and the mean
    /// over pixels where they differ, averaged (one term when only one occurs); averaged over the images <paramref name="include"/> keeps.
    /// </summary>
    /// <param name="logits">[N, H, W].</param>
    /// <param name="differ">[N, H, W] bool: K ≠ A.</param>
    /// <param name="include">[N] float, 1 for an image that counts (SSDD skips images whose class the CRF erased).</param>
    public static Tensor BalancedLoss(Tensor logits, Tensor differ, Tensor include)
    {
        ArgumentNullException.ThrowIfNull(differ);
        ArgumentNullException.ThrowIfNull(include);
        // No number is passed as a Scalar here (LiveScalars: TorchSharp 0.107 may free one mid-call): counts are floored with maximum(·, 1).
        var (target, agree) = (differ.to_type(ScalarType.Float32), differ.logical_not().to_type(ScalarType.Float32));
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None);
        var (ones, zeros) = (target.sum([1, 2]), agree.sum([1, 2]));
        var floor = ones_like(ones);
        var mean1 = (bce * target).sum([1, 2]) / maximum(ones, floor);
        var mean0 = (bce * agree).sum([1, 2]) / maximum(zeros, floor);
        var (has1, has0) = (target.amax([1, 2]), agree.amax([1, 2]));
        var perImage = (mean0 * has0).add(mean1 * has1, LiveScalars.One) / maximum(has0.add(has1, LiveScalars.One), floor);
        return (perImage * include).sum() / maximum(include.sum(), ones_like(include.sum()));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            features.Dispose();
            detect.Dispose();
            logit.Dispose();
        }
        base.Dispose(disposing);
    }
}
