using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The residual block of the CycleGAN generator (Zhu et al., ICCV 2017, appendix 7.2; Johnson et al., ECCV 2016):
/// y = x + conv_block(x), conv_block = reflect-pad 1 → conv 3×3 → InstanceNorm → ReLU → reflect-pad 1 → conv 3×3 →
/// InstanceNorm, named as the official <c>ResnetBlock</c> (<c>conv_block.1</c>, <c>conv_block.5</c>).
/// </summary>
public sealed class ResnetBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv_block;

    public ResnetBlock(long channels)
        : base(nameof(ResnetBlock))
    {
        conv_block = nn.Sequential(
            ("0", nn.ReflectionPad2d(1)),
            ("1", nn.Conv2d(channels, channels, 3)),
            ("2", nn.InstanceNorm2d(channels)),
            ("3", nn.ReLU()),
            ("4", nn.ReflectionPad2d(1)),
            ("5", nn.Conv2d(channels, channels, 3)),
            ("6", nn.InstanceNorm2d(channels)));
        RegisterComponents();
    }

    /// <summary>The residual branch, for the exporter (which adds the skip itself).</summary>
    internal Sequential ConvBlock => conv_block;

    public override Tensor forward(Tensor input) => conv_block.call(input).add_(input, Classifier.LiveScalars.One);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv_block.Dispose();
        }
        base.Dispose(disposing);
    }
}
