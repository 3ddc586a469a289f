using ExplainApi.Core.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// The CIFAR augmentation of He et al. (CVPR 2016, §4.2): each image is shifted by up to ±<see cref="MaxShift"/> px
/// in each direction (edges replicated rather than zero-padded, since zero is not "background" under every
/// normalisation) and flipped left–right with probability ½. No vertical flips: anatomy has an up and a down.
/// The draws come from a <see cref="SplitMix64"/> seeded per step, so a resumed run augments as the interrupted one would.
/// </summary>
public static class BatchAugmentation
{
    public const int MaxShift = 4;

    /// <param name="inputs">[N, C, H, W]</param>
    /// <returns>A new [N, C, H, W] tensor in the caller's dispose scope.</returns>
    public static Tensor Apply(Tensor inputs, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(random);
        var (height, width) = (inputs.shape[2], inputs.shape[3]);
        var padded = nn.functional.pad(inputs, [MaxShift, MaxShift, MaxShift, MaxShift], PaddingModes.Replicate);
        var images = new Tensor[inputs.shape[0]];
        for (var n = 0; n < images.Length; n++)
        {
            var (dy, dx) = (random.NextInt(2 * MaxShift + 1), random.NextInt(2 * MaxShift + 1));
            var image = padded[n].narrow(1, dy, height).narrow(2, dx, width);
            images[n] = random.NextInt(2) == 1 ? image.flip(2) : image;
        }
        return stack(images);
    }
}
