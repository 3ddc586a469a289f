using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// A small ResNet (He et al., CVPR 2016) for C×H×W inputs: stem conv3×3 (stride <c>stemStride</c>, 1 or 2) + BN + ReLU, then
/// <c>depth</c> stages of <see cref="BasicBlock"/>s whose width starts at <c>width</c> and doubles per stage;
/// stages 2.. halve the resolution with a stride-2 convolution (no max-pool, METHODS.md §1), then global
/// average pooling and a linear head. Names follow torchvision's ResNet (conv1, bn1, layer1…layerN, fc), so the
/// CAM target layer is <see cref="TargetLayer"/>, the last stage's output.
/// <para>A stride-2 stem (as torchvision's conv1, without its max-pool) quarters the work of every later layer: measured
/// on one libtorch thread at 112², width 16, batch 32, a training step fell from 1.58 s to 0.40 s. The CAM target layer
/// then is half as fine (7×7 instead of 14×14 at depth 4, 14×14 instead of 28×28 at depth 3).</para>
/// </summary>
public sealed class ResNetClassifier : nn.Module<Tensor, Tensor>
{
    public const int BlocksPerStage = 2;

    private readonly Conv2d conv1;
    private readonly KeptAliveBatchNorm2d bn1;
    private readonly Sequential[] layers;
    private readonly Linear fc;

    /// <param name="stemStride">Stride of the stem convolution conv1: 1 keeps the input resolution, 2 halves it.</param>
    public ResNetClassifier(int channels, int height, int width, int classes, int baseWidth = 16, int depth = 3, int stemStride = 1)
        : base(nameof(ResNetClassifier))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(baseWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stemStride, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stemStride, 2);
        var smallest = stemStride << (depth - 1);
        if (height < smallest || width < smallest)
        {
            throw new ArgumentOutOfRangeException(nameof(depth),
                $"A stem of stride {stemStride} and {depth} stages divide the resolution by {smallest}; {height}×{width} inputs are too small.");
        }
        (Channels, Height, Width, Classes, BaseWidth, Depth, StemStride) = (channels, height, width, classes, baseWidth, depth, stemStride);

        conv1 = nn.Conv2d(channels, baseWidth, 3, stride: stemStride, padding: 1, bias: false);
        bn1 = new KeptAliveBatchNorm2d(baseWidth);
        layers = new Sequential[depth];
        long inPlanes = baseWidth;
        for (var stage = 0; stage < depth; stage++)
        {
            var planes = (long)baseWidth << stage;
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (var b = 0; b < BlocksPerStage; b++)
            {
                blocks.Add((b.ToString(System.Globalization.CultureInfo.InvariantCulture), new BasicBlock(inPlanes, planes, b == 0 && stage > 0 ? 2 : 1)));
                inPlanes = planes;
            }
            layers[stage] = nn.Sequential(blocks);
            // The number of stages is an option, so they cannot be fields named layer1…layerN; register them by torchvision's names.
            register_module(LayerName(stage), layers[stage]);
        }
        fc = nn.Linear(inPlanes, classes);
        RegisterComponents();
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Classes { get; }

    public int BaseWidth { get; }

    public int Depth { get; }

    /// <summary>The stride of the stem convolution conv1 (1 or 2).</summary>
    public int StemStride { get; }

    /// <summary>The module whose output Grad-CAM and its relatives explain: the last stage, e.g. <c>layer3</c>.</summary>
    public string TargetLayer => LayerName(Depth - 1);

    /// <param name="input">[N, C, H, W]</param>
    /// <returns>logits [N, classes]</returns>
    public override Tensor forward(Tensor input) => ForwardWithActivations(input).Logits;

    /// <summary>The target layer's activations [N, width·2^(depth−1), H/(s·2^(depth−1)), W/(s·2^(depth−1))] (s the stem stride, sizes rounded up) and the logits [N, classes].</summary>
    public (Tensor Activations, Tensor Logits) ForwardWithActivations(Tensor input)
    {
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        foreach (var layer in layers)
        {
            x = layer.call(x);
        }
        return (x, fc.call(x.mean([2L, 3L])));
    }

    /// <summary>
    /// PyTorch's default initialisation of Conv2d and Linear (kaiming_uniform with a = √5, i.e. U(±1/√fan_in) for
    /// weights and biases; BatchNorm γ = 1, β = 0), drawn from a generator of our own so that concurrent jobs or
    /// tests using libtorch's global generator cannot change it.
    /// </summary>
    public void InitializeWeights(long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        var fanIn = 1L;
        foreach (var (name, parameter) in named_parameters())
        {
            using var scope = NewDisposeScope();
            var shape = parameter.shape;
            if (name.Contains("bn", StringComparison.Ordinal) || name.Contains("downsample.1.", StringComparison.Ordinal))
            {
                parameter.fill_(name.EndsWith(".weight", StringComparison.Ordinal) ? LiveScalars.One : LiveScalars.Zero); // BatchNorm γ and β
                continue;
            }
            if (name.EndsWith(".weight", StringComparison.Ordinal))
            {
                fanIn = shape.Skip(1).Aggregate(1L, (p, d) => p * d); // a bias follows its weight
            }
            var bound = 1 / Math.Sqrt(fanIn);
            using var scale = (2 * bound).ToScalar(); // held through the calls (see LiveScalars)
            using var shift = bound.ToScalar();
            parameter.copy_(rand(shape, generator: generator).mul_(scale).sub_(shift));
        }
    }

    private static string LayerName(int stage) => $"layer{stage + 1}";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            foreach (var layer in layers)
            {
                layer.Dispose();
            }
            fc.Dispose();
        }
        base.Dispose(disposing);
    }
}
