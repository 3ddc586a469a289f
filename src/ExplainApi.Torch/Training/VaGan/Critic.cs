using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>
/// VA-GAN's critic (Baumgartner et al., CVPR 2018; the official code's C3D_fcn_16, METHODS.md §2): conv3×3-ReLU
/// layers of w, 2w, 4w, 4w, 8w, 8w, 16w, 16w channels (w = 16 in the paper) with a 2×2 max-pooling after the 1st,
/// 2nd, 4th and 6th, no normalisation (the gradient penalty is per sample, which batch statistics would break),
/// a 1×1 conv to one channel and the global mean: one score per image.
/// </summary>
public sealed class Critic : nn.Module<Tensor, Tensor>
{
    /// <summary>Channels of each conv3×3 as multiples of w, and after which of them a pooling follows.</summary>
    private static readonly int[] Multiples = [1, 2, 4, 4, 8, 8, 16, 16];
    private static readonly bool[] PoolAfter = [true, true, false, true, false, true, false, false];

    private readonly Sequential features;
    private readonly Conv2d score;

    public Critic(int channels, int width)
        : base(nameof(Critic))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        (Channels, Width) = (channels, width);
        using var scope = NewDisposeScope(); // frees what biased convolutions leave alive (see MapGenerator)
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long input = channels;
        for (var i = 0; i < Multiples.Length; i++)
        {
            var output = (long)Multiples[i] * width;
            layers.Add((Name(layers.Count), nn.Conv2d(input, output, 3, padding: 1)));
            layers.Add((Name(layers.Count), nn.ReLU()));
            if (PoolAfter[i])
            {
                layers.Add((Name(layers.Count), nn.MaxPool2d(2, 2)));
            }
            input = output;
        }
        features = nn.Sequential(layers);
        score = nn.Conv2d(input, 1, 1);
        RegisterComponents();
    }

    public int Channels { get; }

    public int Width { get; }

    /// <param name="input">[N, C, H, W], H and W at least 16.</param>
    /// <returns>The critic's score [N].</returns>
    public override Tensor forward(Tensor input) => score.call(features.call(input)).mean([1L, 2L, 3L]);

    private static string Name(int index) => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            features.Dispose();
            score.Dispose();
        }
        base.Dispose(disposing);
    }
}
