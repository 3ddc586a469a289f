using ExplainApi.Core.Saliency.Explaining;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Saliency;

/// <summary>
/// <see cref="IExplainableModel"/> over <see cref="TinyCamNet"/> with libtorch autograd for the gradients: what
/// the exported ONNX graph provides when serving, computed here the direct way. Every call runs in a dispose
/// scope and copies its results out, so no tensor outlives it.
/// </summary>
internal sealed class TorchExplainableModel(TinyCamNet net, int maxBatch) : IExplainableModel
{
    public ModelShape Shape => new(TinyCamNet.Channels, TinyCamNet.Size, TinyCamNet.Size, TinyCamNet.Classes);

    public string? TargetLayer => "conv2";

    public bool HasActivations => true;

    public bool HasGradients => true;

    public bool HasLinearHead => true;

    public bool HasSeparableHead => true;

    public int MaxBatch => maxBatch;

    private static ActivationShape Activation => new(TinyCamNet.K, TinyCamNet.Side, TinyCamNet.Side);

    public ForwardPass Forward(float[] inputs, int batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var activations = net.Features(Input(inputs, batch));
        return new ForwardPass(Values(net.Head(activations)), Values(activations), Activation);
    }

    public GradientPass Gradients(float[] inputs, int batch, int[] targets)
    {
        using var scope = NewDisposeScope();
        var x = Input(inputs, batch).requires_grad_(true);
        var activations = net.Features(x);
        var logits = net.Head(activations);
        var resolved = new int[batch];
        var argmax = logits.argmax(1).data<long>().ToArray();
        for (var n = 0; n < batch; n++)
        {
            resolved[n] = targets[n] >= 0 ? targets[n] : (int)argmax[n];
        }

        // Items do not interact, so the gradient of Σ_n y_{n, c_n} is each item's own ∂y_c/∂(A, x).
        var selected = logits.gather(1, tensor(resolved.Select(t => (long)t).ToArray(), [batch, 1])).sum();
        var gradients = autograd.grad([selected], [activations, x]);
        return new GradientPass(Values(logits), resolved, Values(activations), Values(gradients[0]), Activation, Values(gradients[1]));
    }

    public float[] HeadWeights(int targetClass)
    {
        using var scope = NewDisposeScope();
        return Values(net.Fc.weight![targetClass]);
    }

    public float[] HeadLogits(float[] activations, int batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Values(net.Head(tensor(activations, [batch, TinyCamNet.K, TinyCamNet.Side, TinyCamNet.Side])));
    }

    private Tensor Input(float[] inputs, int batch) => tensor(inputs, [batch, Shape.Channels, Shape.Height, Shape.Width]);

    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();
}
