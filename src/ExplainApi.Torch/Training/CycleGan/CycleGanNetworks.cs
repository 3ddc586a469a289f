using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The four networks of CycleGAN, named as the official code: G_A translates class A → B and G_B class B → A; D_A tells
/// real B images from G_A's, D_B real A images from G_B's. Their state dict (<c>netG_A.model.1.weight</c>, …) is what a
/// checkpoint saves.
/// </summary>
public sealed class CycleGanNetworks : nn.Module
{
    private readonly ResnetGenerator netG_A, netG_B;
    private readonly PatchDiscriminator netD_A, netD_B;

    public CycleGanNetworks(int channels, int generatorWidth, int generatorBlocks, int discriminatorWidth, int discriminatorLayers, bool transposedConvolution = false)
        : base(nameof(CycleGanNetworks))
    {
        netG_A = new ResnetGenerator(channels, generatorWidth, generatorBlocks, transposedConvolution);
        netG_B = new ResnetGenerator(channels, generatorWidth, generatorBlocks, transposedConvolution);
        netD_A = new PatchDiscriminator(channels, discriminatorWidth, discriminatorLayers);
        netD_B = new PatchDiscriminator(channels, discriminatorWidth, discriminatorLayers);
        RegisterComponents();
    }

    public ResnetGenerator GeneratorA2B => netG_A;

    public ResnetGenerator GeneratorB2A => netG_B;

    public PatchDiscriminator DiscriminatorB => netD_A;

    public PatchDiscriminator DiscriminatorA => netD_B;

    /// <summary>
    /// The official init_weights('normal', 0.02): conv weights N(0, 0.02²), biases 0 (no norm layer here has an affine
    /// part), drawn from a generator of our own so that other users of libtorch's global generator cannot change it.
    /// </summary>
    public void InitializeWeights(long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith(".weight", StringComparison.Ordinal))
            {
                parameter.normal_(0, 0.02, generator);
            }
            else
            {
                parameter.zero_();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            netG_A.Dispose();
            netG_B.Dispose();
            netD_A.Dispose();
            netD_B.Dispose();
        }
        base.Dispose(disposing);
    }
}
