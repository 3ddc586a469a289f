using ExplainApi.Core.Rendering;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency;

/// <summary>
/// The shared part of every CAM method, as in torch-cam and pytorch-grad-cam: a method supplies either
/// channel weights w_k (<see cref="ChannelWeights"/>), combined here as Σ_k w_k A_k, or a whole
/// element-wise map (<see cref="LowResolutionMap"/>); this class checks the inputs, applies ReLU at the
/// activation resolution, upsamples bilinearly to H×W (PyTorch align_corners=false) and normalises.
/// ReLU before upsampling keeps the raw map ≥ 0, since bilinear weights are convex.
/// As an <see cref="ISaliencyMethod"/> it reads A (and g, W_fc[c] when <see cref="Needs"/> says so) from the
/// context's shared passes; <see cref="Compute(SaliencyInputs)"/> takes captured tensors directly.
/// </summary>
public abstract class CamMethod : ISaliencyMethod
{
    public abstract string Name { get; }

    /// <summary>By default the gradient CAMs' needs: A and ∂y_c/∂A.</summary>
    public virtual SaliencyNeeds Needs => SaliencyNeeds.Activations | SaliencyNeeds.ActivationGradients;

    /// <summary>The CAM family reads only the context's shared forward (and gradient) pass.</summary>
    public virtual ModelPasses Passes(IExplainableModel model, SaliencyOptions options) => ModelPasses.None;

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Compute(ExplanationInputs.Cam(context, Needs));
    }

    public SaliencyMap Compute(SaliencyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (Needs.HasFlag(SaliencyNeeds.ActivationGradients) && inputs.Gradients is null)
        {
            throw new ArgumentException($"{Name} needs the gradients ∂y_c/∂A of the target layer.", nameof(inputs));
        }

        if (Needs.HasFlag(SaliencyNeeds.LinearHead) && inputs.HeadWeights is null)
        {
            throw new ArgumentException($"{Name} needs the head weights W_fc[c] of a GAP→linear head.", nameof(inputs));
        }

        var low = LowResolutionMap(inputs);
        var rectified = new float[low.Length];
        for (var i = 0; i < low.Length; i++)
        {
            rectified[i] = (float)Math.Max(low[i], 0.0);
        }

        var raw = Resize.Bilinear(rectified, inputs.Height, inputs.Width, inputs.InputHeight, inputs.InputWidth);
        var normalized = HeatmapRenderer.Normalize(raw, HeatmapScaling.MinMax);
        return new SaliencyMap(Name, inputs.TargetClass, inputs.InputHeight, inputs.InputWidth, raw, normalized);
    }

    /// <summary>The map before ReLU at h×w; by default Σ_k w_k A_k with <see cref="ChannelWeights"/>.</summary>
    protected virtual double[] LowResolutionMap(SaliencyInputs inputs)
    {
        var weights = ChannelWeights(inputs);
        var positions = inputs.Positions;
        var map = new double[positions];
        for (var k = 0; k < inputs.Channels; k++)
        {
            var channel = inputs.Activations.AsSpan(k * positions, positions);
            for (var i = 0; i < positions; i++)
            {
                map[i] += weights[k] * channel[i];
            }
        }

        return map;
    }

    /// <summary>One weight per channel; methods that build the map element-wise override <see cref="LowResolutionMap"/> instead.</summary>
    protected virtual double[] ChannelWeights(SaliencyInputs inputs) =>
        throw new NotSupportedException($"{Name} defines neither channel weights nor a map.");

    /// <summary>Channel k of a K×h×w array.</summary>
    protected static ReadOnlySpan<float> Channel(float[] values, SaliencyInputs inputs, int k) =>
        values.AsSpan(k * inputs.Positions, inputs.Positions);
}
