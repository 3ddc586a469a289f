using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// A small U-Net (Ronneberger et al., MICCAI 2015) for 1- or 3-channel images: a stem of two conv–BN–ReLU at width w,
/// <c>depth</c> levels down (the first conv of each pair stride 2, widths 2w, 4w, …), as many up (bilinear ×2 then
/// conv–BN–ReLU, concatenated with the skip of that level, then two conv–BN–ReLU) and a 1×1 head of K = C + 1 logits
/// (background first). H and W must be divisible by 2^depth.
/// </summary>
public sealed class UNetSegmenter : nn.Module<Tensor, Tensor>
{
    private readonly Sequential stem;
    private readonly ModuleList<Sequential> down, up, dec;
    private readonly Conv2d head;

    public UNetSegmenter(int channels, int classes, int width, int depth)
        : base(nameof(UNetSegmenter))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        (Channels, Classes, Width, Depth) = (channels, classes, width, depth);
        // As MapGenerator: the scope frees the tensor TorchSharp 0.107's biased convolutions leave from their initialisation.
        using var scope = NewDisposeScope();
        long Level(int d) => (long)width << d;
        stem = ConvBlocks.Pair(channels, width);
        down = nn.ModuleList([.. Enumerable.Range(1, depth).Select(d => ConvBlocks.Pair(Level(d - 1), Level(d), stride: 2))]);
        up = nn.ModuleList([.. Enumerable.Range(1, depth).Reverse().Select(d => ConvBlocks.ResizeUp(Level(d), Level(d - 1)))]);
        dec = nn.ModuleList([.. Enumerable.Range(1, depth).Reverse().Select(d => ConvBlocks.Pair(2 * Level(d - 1), Level(d - 1)))]);
        head = nn.Conv2d(width, classes, 1);
        RegisterComponents();
    }

    public int Channels { get; }

    /// <summary>K: the logits per pixel, background included.</summary>
    public int Classes { get; }

    /// <summary>w: the channels of the first level.</summary>
    public int Width { get; }

    public int Depth { get; }

    /// <param name="input">[N, C, H, W], H and W divisible by 2^depth.</param>
    /// <returns>The logits [N, K, H, W].</returns>
    public override Tensor forward(Tensor input) => ForwardWithFeatures(input).Logits;

    /// <summary>
    /// The logits with the two feature maps SSDD's difference detector reads (Shimoda and Yanai, ICCV 2019, §3.2): the
    /// stem's (an early layer) and the last decoder level's (the head's input), both [N, w, H, W].
    /// </summary>
    public (Tensor Logits, Tensor Early, Tensor Head) ForwardWithFeatures(Tensor input)
    {
        var skips = new List<Tensor> { stem.call(input) };
        foreach (var level in down)
        {
            skips.Add(level.call(skips[^1]));
        }
        var x = skips[^1];
        for (var i = 0; i < Depth; i++)
        {
            x = dec[i].call(cat([up[i].call(x), skips[Depth - 1 - i]], 1));
        }
        return (head.call(x), skips[0], x);
    }

    /// <summary>The stages in forward order, for the exporter: up[i] and dec[i] rise from level depth − i.</summary>
    internal (Sequential Stem, IReadOnlyList<Sequential> Down, IReadOnlyList<Sequential> Up, IReadOnlyList<Sequential> Dec, Conv2d Head) Stages =>
        (stem, [.. down], [.. up], [.. dec], head);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var module in new nn.Module[] { stem, down, up, dec, head })
            {
                module.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
