using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The PatchGAN discriminator (Isola et al., CVPR 2017; Zhu et al., ICCV 2017, appendix 7.2), the official
/// <c>NLayerDiscriminator</c>: conv 4×4 stride 2 (w, no norm) → LeakyReLU 0.2, then layers−1 stride-2 and one stride-1
/// conv 4×4 with width w·min(2^n, 8), InstanceNorm and LeakyReLU, then a stride-1 conv 4×4 to one channel: a map of
/// real/fake scores, one per patch. With w = 64 and 3 layers (64-128-256-512) a score sees 70×70 pixels.
/// </summary>
public sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential model;

    public PatchDiscriminator(int channels, int width, int layers)
        : base(nameof(PatchDiscriminator))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        var modules = new List<nn.Module<Tensor, Tensor>> { nn.Conv2d(channels, width, 4, stride: 2, padding: 1), nn.LeakyReLU(0.2) };
        long previous = width;
        for (var n = 1; n <= layers; n++)
        {
            var next = (long)width * Math.Min(1 << n, 8);
            modules.AddRange([nn.Conv2d(previous, next, 4, stride: n < layers ? 2 : 1, padding: 1), nn.InstanceNorm2d(next), nn.LeakyReLU(0.2)]);
            previous = next;
        }
        modules.Add(nn.Conv2d(previous, 1, 4, stride: 1, padding: 1));
        model = nn.Sequential(modules.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer)));
        RegisterComponents();
    }

    /// <returns>Patch scores [N, 1, h, w] (LSGAN: 1 real, 0 fake).</returns>
    public override Tensor forward(Tensor input) => model.call(input);

    /// <summary>The input side a score sees: r = 1 + Σ (k − 1)·(product of the earlier strides), e.g. 70 for 3 layers.</summary>
    public static int ReceptiveField(int layers)
    {
        var (field, stride) = (1, 1);
        foreach (var s in Enumerable.Repeat(2, layers).Concat([1, 1]))
        {
            field += 3 * stride;
            stride *= s;
        }
        return field;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            model.Dispose();
        }
        base.Dispose(disposing);
    }
}
