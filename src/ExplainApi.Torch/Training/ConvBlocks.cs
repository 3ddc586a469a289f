using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// The conv–BN–ReLU blocks of our U-Nets (VA-GAN's map generator, the segmenter), as Sequentials named by index like
/// PyTorch's, so the weight names (the checkpoint and export contract) are the same wherever a block is used.
/// </summary>
internal static class ConvBlocks
{
    /// <summary>Two conv 3×3 (padding 1) → BN → ReLU; the first conv has <paramref name="stride"/> (2 halves H and W).</summary>
    public static Sequential Pair(long input, long output, long stride = 1) => nn.Sequential(
        ("0", nn.Conv2d(input, output, 3, stride: stride, padding: 1)), ("1", new KeptAliveBatchNorm2d(output)), ("2", nn.ReLU()),
        ("3", nn.Conv2d(output, output, 3, padding: 1)), ("4", new KeptAliveBatchNorm2d(output)), ("5", nn.ReLU()));

    /// <summary>
    /// ×2 bilinear resize (align_corners false), then conv 3×3 → BN → ReLU: upsampling without the checkerboard
    /// artefacts of transposed convolutions (Odena et al., Distill 2016).
    /// </summary>
    public static Sequential ResizeUp(long input, long output) => nn.Sequential(
        ("0", nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Bilinear, align_corners: false)),
        ("1", nn.Conv2d(input, output, 3, padding: 1)), ("2", new KeptAliveBatchNorm2d(output)), ("3", nn.ReLU()));
}
