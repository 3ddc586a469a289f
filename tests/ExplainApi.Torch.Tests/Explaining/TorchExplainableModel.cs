using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Torch.Tests.Saliency;
using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Explaining;

/// <summary>
/// A libtorch network with a global-average-pool → <c>fc</c> head as an <see cref="IExplainableModel"/>, with autograd
/// for the gradients: ∂y_c/∂A of the target layer and ∂y_c/∂x, for y_c the logit of each item's target. It is the
/// direct computation of what the exported ONNX graph provides when serving, so the tests can hold the served path
/// (ONNX Runtime) and the saliency methods against it. The network is put in eval mode (BatchNorm uses running
/// statistics) and its parameters stop requiring gradients; calls are serialised by a lock, each in its own dispose
/// scope, and copy their results out, so no tensor outlives a call. Disposes the network when it owns it.
/// </summary>
internal sealed class TorchExplainableModel : IExplainableModel, IDisposable
{
    private readonly nn.Module network;
    private readonly Func<Tensor, (Tensor Activations, Tensor Logits)> forward;
    private readonly bool ownsNetwork;
    private readonly float[] headWeight, headBias;
    private readonly Lock gate = new();

    private TorchExplainableModel(nn.Module network, Func<Tensor, (Tensor, Tensor)> forward, ModelShape shape, string targetLayer, int maxBatch, bool ownsNetwork)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        this.network = network;
        this.forward = forward;
        this.ownsNetwork = ownsNetwork;
        network.eval();
        var parameters = network.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var parameter in parameters.Values)
        {
            parameter.requires_grad_(false);
        }

        headWeight = parameters["fc.weight"].data<float>().ToArray();
        headBias = parameters["fc.bias"].data<float>().ToArray();
        Shape = shape;
        TargetLayer = targetLayer;
        MaxBatch = maxBatch;
    }

    /// <summary>A trained classifier (target layer: its last stage); owns and disposes it.</summary>
    public TorchExplainableModel(ResNetClassifier model, int maxBatch = 32)
        : this(model ?? throw new ArgumentNullException(nameof(model)), model.ForwardWithActivations,
            new ModelShape(model.Channels, model.Height, model.Width, model.Classes), model.TargetLayer, maxBatch, ownsNetwork: true)
    {
    }

    /// <summary>The tiny reference network (target layer conv2); the caller keeps and disposes it.</summary>
    public TorchExplainableModel(TinyCamNet net, int maxBatch)
        : this(net ?? throw new ArgumentNullException(nameof(net)), x => Both(net, x),
            new ModelShape(TinyCamNet.Channels, TinyCamNet.Size, TinyCamNet.Size, TinyCamNet.Classes), "conv2", maxBatch, ownsNetwork: false)
    {
    }

    public ModelShape Shape { get; }

    public string? TargetLayer { get; }

    public bool HasActivations => true;

    public bool HasGradients => true;

    public bool HasLinearHead => true;

    public bool HasSeparableHead => true;

    public int MaxBatch { get; }

    private int Features => headWeight.Length / Shape.Classes;

    public ForwardPass Forward(float[] inputs, int batch)
    {
        lock (gate)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (activations, logits) = forward(Input(inputs, batch));
            return new ForwardPass(Values(logits), Values(activations), ShapeOf(activations));
        }
    }

    public GradientPass Gradients(float[] inputs, int batch, int[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != batch)
        {
            throw new ArgumentException($"{targets.Length} targets for {batch} items.", nameof(targets));
        }

        lock (gate)
        {
            using var scope = NewDisposeScope();
            var input = Input(inputs, batch).requires_grad_(true);
            var (activations, logits) = forward(input);
            var predicted = logits.detach().argmax(1).data<long>().ToArray();
            var resolved = new long[batch];
            for (var n = 0; n < batch; n++)
            {
                resolved[n] = targets[n] < 0 ? predicted[n] : targets[n];
            }

            // Σ_n y_{n, c_n}: the items do not interact in eval mode, so one backward gives every item's own gradient.
            var selected = logits.gather(1, tensor(resolved).reshape(batch, 1)).sum();
            var gradients = autograd.grad([selected], [activations, input]);
            return new GradientPass(Values(logits), Array.ConvertAll(resolved, t => (int)t), Values(activations), Values(gradients[0]),
                ShapeOf(activations), Values(gradients[1]));
        }
    }

    public float[] HeadWeights(int targetClass)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(targetClass);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(targetClass, Shape.Classes);
        return headWeight.AsSpan(targetClass * Features, Features).ToArray();
    }

    /// <summary>GAP then fc: y_c = b_c + Σ_k W[c,k]·mean_ij A_kij, in float64 and rounded once.</summary>
    public float[] HeadLogits(float[] activations, int batch)
    {
        ArgumentNullException.ThrowIfNull(activations);
        var k = Features;
        if (batch <= 0 || activations.Length % (batch * k) != 0)
        {
            throw new ArgumentException($"{activations.Length} activations are not {batch} items of {k} channels.", nameof(activations));
        }

        var plane = activations.Length / (batch * k);
        var logits = new float[batch * Shape.Classes];
        var pooled = new double[k];
        for (var n = 0; n < batch; n++)
        {
            for (var channel = 0; channel < k; channel++)
            {
                double sum = 0;
                foreach (var v in activations.AsSpan(((n * k) + channel) * plane, plane))
                {
                    sum += v;
                }

                pooled[channel] = sum / plane;
            }

            for (var c = 0; c < Shape.Classes; c++)
            {
                double y = headBias[c];
                for (var channel = 0; channel < k; channel++)
                {
                    y += headWeight[(c * k) + channel] * pooled[channel];
                }

                logits[(n * Shape.Classes) + c] = (float)y;
            }
        }

        return logits;
    }

    public void Dispose()
    {
        if (ownsNetwork)
        {
            network.Dispose();
        }
    }

    private static (Tensor, Tensor) Both(TinyCamNet net, Tensor x)
    {
        var activations = net.Features(x);
        return (activations, net.Head(activations));
    }

    private Tensor Input(float[] inputs, int batch)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (inputs.Length != (long)batch * Shape.ItemSize)
        {
            throw new ArgumentException($"Expected {batch} items of {Shape.ItemSize} values, got {inputs.Length}.", nameof(inputs));
        }

        // A copy: the caller reuses its buffer (IExplainableModel keeps no reference to it).
        return tensor(inputs).reshape(batch, Shape.Channels, Shape.Height, Shape.Width);
    }

    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    private static ActivationShape ShapeOf(Tensor activations) =>
        new((int)activations.shape[1], (int)activations.shape[2], (int)activations.shape[3]);
}
