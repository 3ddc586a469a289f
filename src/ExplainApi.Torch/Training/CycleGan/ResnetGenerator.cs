using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The CycleGAN generator (Zhu et al., ICCV 2017, appendix 7.2, after Johnson et al., ECCV 2016): reflect-pad 3 → conv
/// 7×7 (w) → two stride-2 conv 3×3 (2w, 4w) → <c>blocks</c> <see cref="ResnetBlock"/>s → two ×2 upsamplings (4w → 2w → w)
/// → reflect-pad 3 → conv 7×7 → tanh, InstanceNorm without affine or running statistics and ReLU after every inner conv.
/// One Sequential <c>model</c> with the official indices. Upsampling is nearest ×2 then conv 3×3 (Odena et al., Distill
/// 2016: no checkerboard artefacts), or the paper's transposed conv (k3, s2, p1, output padding 1).
/// </summary>
public sealed class ResnetGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential model;

    public ResnetGenerator(int channels, int width, int blocks, bool transposedConvolution = false)
        : base(nameof(ResnetGenerator))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(blocks);
        (Channels, Width, Blocks) = (channels, width, blocks);
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.ReflectionPad2d(3), nn.Conv2d(channels, width, 7), nn.InstanceNorm2d(width), nn.ReLU(),
        };
        for (var i = 0; i < 2; i++)
        {
            long from = width << i, to = width << (i + 1);
            layers.AddRange([nn.Conv2d(from, to, 3, stride: 2, padding: 1), nn.InstanceNorm2d(to), nn.ReLU()]);
        }
        for (var i = 0; i < blocks; i++)
        {
            layers.Add(new ResnetBlock(width << 2));
        }
        for (var i = 2; i > 0; i--)
        {
            long from = width << i, to = width << (i - 1);
            if (transposedConvolution)
            {
                layers.Add(nn.ConvTranspose2d(from, to, 3, stride: 2, padding: 1, output_padding: 1));
            }
            else
            {
                layers.AddRange([nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Nearest), nn.Conv2d(from, to, 3, padding: 1)]);
            }
            layers.AddRange([nn.InstanceNorm2d(to), nn.ReLU()]);
        }
        layers.AddRange([nn.ReflectionPad2d(3), nn.Conv2d(width, channels, 7), nn.Tanh()]);
        model = nn.Sequential(layers.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer)));
        RegisterComponents();
    }

    public int Channels { get; }

    public int Width { get; }

    public int Blocks { get; }

    /// <summary>The layers in order, named by index, for the exporter.</summary>
    internal Sequential Model => model;

    /// <param name="input">[N, C, H, W] in [−1, 1], H and W divisible by 4.</param>
    /// <returns>The translated image [N, C, H, W] in (−1, 1).</returns>
    public override Tensor forward(Tensor input) => model.call(input);

    /// <summary>The paper's blocks for an image size: 6 up to 128 px, 9 above (Zhu et al., appendix 7.2).</summary>
    public static int PaperBlocks(int height, int width) => Math.Max(height, width) <= 128 ? 6 : 9;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            model.Dispose();
        }
        base.Dispose(disposing);
    }
}
