using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Explaining;

/// <summary>
/// A trained <see cref="ResNetClassifier"/> as an <see cref="IExplainableModel"/>, with libtorch's autograd for the
/// gradients: ∂y_c/∂A of the target layer (the last stage) and ∂y_c/∂x, for y_c the logit of each item's target. It
/// serves the saliency methods where ONNX Runtime does not (evaluation of a model straight from its training weights,
/// tests). The model is put in eval mode (BatchNorm uses running statistics) and its parameters stop requiring
/// gradients; calls are serialised by a lock, each in its own dispose scope. Owns and disposes the model.
/// </summary>
public sealed class TorchExplainableModel : IExplainableModel, IDisposable
{
    private readonly ResNetClassifier model;
    private readonly float[] headWeight, headBias;
    private readonly Lock gate = new();

    public TorchExplainableModel(ResNetClassifier model, int maxBatch = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        this.model = model;
        model.eval();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var parameter in parameters.Values)
        {
            parameter.requires_grad_(false);
        }

        headWeight = parameters["fc.weight"].data<float>().ToArray();
        headBias = parameters["fc.bias"].data<float>().ToArray();
        Shape = new ModelShape(model.Channels, model.Height, model.Width, model.Classes);
        MaxBatch = maxBatch;
    }

    public ModelShape Shape { get; }

    public string? TargetLayer => model.TargetLayer;

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
            var (activations, logits) = model.ForwardWithActivations(Input(inputs, batch));
            return new ForwardPass(logits.data<float>().ToArray(), activations.contiguous().data<float>().ToArray(), ShapeOf(activations));
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
            var (activations, logits) = model.ForwardWithActivations(input);
            activations.retain_grad();
            var resolved = new long[batch];
            var predicted = logits.detach().argmax(1).data<long>().ToArray();
            for (var n = 0; n < batch; n++)
            {
                resolved[n] = targets[n] < 0 ? predicted[n] : targets[n];
            }

            // Σ_n y_{n, c_n}: the items do not interact in eval mode, so one backward gives every item's own gradient.
            logits.gather(1, tensor(resolved).reshape(batch, 1)).sum().backward();
            return new GradientPass(
                logits.detach().data<float>().ToArray(),
                Array.ConvertAll(resolved, t => (int)t),
                activations.detach().contiguous().data<float>().ToArray(),
                activations.grad!.contiguous().data<float>().ToArray(),
                ShapeOf(activations),
                input.grad!.contiguous().data<float>().ToArray());
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

    public void Dispose() => model.Dispose();

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

    private static ActivationShape ShapeOf(Tensor activations) =>
        new((int)activations.shape[1], (int)activations.shape[2], (int)activations.shape[3]);
}
