using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>
/// VA-GAN's map generator (Baumgartner et al., CVPR 2018, §3; METHODS.md §2): a U-Net (Ronneberger et al., 2015) with
/// three 2×2 max-poolings, two conv3×3-BN-ReLU per level at widths w, 2w, 4w and 8w at the bottom (w = 16 in the
/// paper), transposed-conv 4×4 stride-2 up (with BN-ReLU, as the official code's deconv layers), skip concatenation,
/// and a linear 1×1 conv to the image's channels: the additive map M. H and W must be multiples of 8.
/// </summary>
public sealed class MapGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential enc1, enc2, enc3, bottom, up3, dec3, up2, dec2, up1, dec1;
    private readonly Conv2d head;

    public MapGenerator(int channels, int width)
        : base(nameof(MapGenerator))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        (Channels, Width) = (channels, width);
        // TorchSharp 0.107's biased convolutions leave one tensor from their bias initialisation alive; the scope frees it (the parameters are not in it).
        using var scope = NewDisposeScope();
        enc1 = ConvBlocks.Pair(channels, width);
        enc2 = ConvBlocks.Pair(width, 2 * width);
        enc3 = ConvBlocks.Pair(2 * width, 4 * width);
        bottom = ConvBlocks.Pair(4 * width, 8 * width);
        up3 = Up(8 * width, 4 * width);
        dec3 = ConvBlocks.Pair(8 * width, 4 * width);
        up2 = Up(4 * width, 2 * width);
        dec2 = ConvBlocks.Pair(4 * width, 2 * width);
        up1 = Up(2 * width, width);
        dec1 = ConvBlocks.Pair(2 * width, width);
        head = nn.Conv2d(width, channels, 1);
        RegisterComponents();
    }

    public int Channels { get; }

    /// <summary>w: the channels of the first level.</summary>
    public int Width { get; }

    /// <param name="input">[N, C, H, W]</param>
    /// <returns>The map M [N, C, H, W] (the translation is tanh(x + M)).</returns>
    public override Tensor forward(Tensor input)
    {
        var s1 = enc1.call(input);
        var s2 = enc2.call(Pool(s1));
        var s3 = enc3.call(Pool(s2));
        var x = bottom.call(Pool(s3));
        x = dec3.call(cat([up3.call(x), s3], 1));
        x = dec2.call(cat([up2.call(x), s2], 1));
        x = dec1.call(cat([up1.call(x), s1], 1));
        return head.call(x);
    }

    /// <summary>The names of the U-Net's stages in forward order, for the exporter.</summary>
    internal (Sequential Enc1, Sequential Enc2, Sequential Enc3, Sequential Bottom, Sequential Up3, Sequential Dec3,
        Sequential Up2, Sequential Dec2, Sequential Up1, Sequential Dec1, Conv2d Head) Stages =>
        (enc1, enc2, enc3, bottom, up3, dec3, up2, dec2, up1, dec1, head);

    private static Tensor Pool(Tensor x) => nn.functional.max_pool2d(x, 2, 2);

    private static Sequential Up(long input, long output) => nn.Sequential(
        ("0", nn.ConvTranspose2d(input, output, 4, stride: 2, padding: 1)), ("1", new KeptAliveBatchNorm2d(output)), ("2", nn.ReLU()));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var module in new nn.Module[] { enc1, enc2, enc3, bottom, up3, dec3, up2, dec2, up1, dec1, head })
            {
                module.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
