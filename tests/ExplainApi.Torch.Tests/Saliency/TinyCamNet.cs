using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Saliency;

/// <summary>
/// conv1 (2→4, 3×3, pad 1) → ReLU → conv2 (4→5, 3×3, stride 2, pad 1) → ReLU = the target layer A (5×6×6 for a
/// 2×12×12 input) → global average pooling → fc (5→3); class 1's logit is negative on positive images. Weights come from a managed seeded generator rather than
/// libtorch's global one, so tests running in parallel cannot change them.
/// </summary>
internal sealed class TinyCamNet : nn.Module<Tensor, Tensor>
{
    public const int Channels = 2, Size = 12, Classes = 3, K = 5, Side = 6;

    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc;

    public TinyCamNet(int seed)
        : base(nameof(TinyCamNet))
    {
        conv1 = nn.Conv2d(Channels, 4, 3, padding: 1);
        conv2 = nn.Conv2d(4, K, 3, stride: 2, padding: 1);
        fc = nn.Linear(K, Classes);
        RegisterComponents();
        var random = new Random(seed);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var parameter in parameters())
        {
            var values = new float[parameter.numel()];
            for (var i = 0; i < values.Length; i++)
            {
                // Mostly positive weights and biases keep a good share of the ReLUs open on a positive image.
                values[i] = (float)((random.NextDouble() * 1.2) - 0.4);
            }

            parameter.copy_(tensor(values, parameter.shape));
        }

        // Class 1 gets a negative logit, the case where Ablation-CAM's division by y_c matters.
        fc.bias![1] = fc.bias[1] - 10f;
    }

    public Linear Fc => fc;

    /// <summary>A, batch × K×h×w.</summary>
    public Tensor Features(Tensor input) => nn.functional.relu(conv2.call(nn.functional.relu(conv1.call(input))));

    /// <summary>fc(GAP(A)), batch × classes.</summary>
    public Tensor Head(Tensor activations) => fc.call(activations.mean([2, 3]));

    public override Tensor forward(Tensor input) => Head(Features(input));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            conv2.Dispose();
            fc.Dispose();
        }

        base.Dispose(disposing);
    }
}
