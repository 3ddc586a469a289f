using ExplainApi.Core.Numerics;

namespace ExplainApi.Core.Saliency;

/// <summary>
/// What a CAM-family method reads from one forward (and backward) pass, as plain row-major arrays:
/// the target layer's activations A (K×h×w), optionally g = ∂y_c/∂A (same shape) and the head's weight
/// row W_fc[c] (K values, for CAM), plus the input image size H×W that the map is upsampled to.
/// </summary>
public sealed class SaliencyInputs
{
    public SaliencyInputs(
        float[] activations,
        int channels,
        int height,
        int width,
        int inputHeight,
        int inputWidth,
        int targetClass,
        float[]? gradients = null,
        float[]? headWeights = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(targetClass);
        var size = (long)channels * height * width;
        CheckValues(activations, size, nameof(activations));
        if (gradients is not null)
        {
            CheckValues(gradients, size, nameof(gradients));
        }

        if (headWeights is not null)
        {
            CheckValues(headWeights, channels, nameof(headWeights));
        }

        (Activations, Channels, Height, Width) = (activations, channels, height, width);
        (InputHeight, InputWidth, TargetClass) = (inputHeight, inputWidth, targetClass);
        (Gradients, HeadWeights) = (gradients, headWeights);
    }

    /// <summary>A, K×h×w row-major.</summary>
    public float[] Activations { get; }

    /// <summary>g = ∂y_c/∂A, K×h×w row-major, or null when the model exposes no gradients.</summary>
    public float[]? Gradients { get; }

    /// <summary>W_fc[c, k] for k = 0..K-1 of a GAP→linear head, or null.</summary>
    public float[]? HeadWeights { get; }

    /// <summary>K, the number of channels of the target layer.</summary>
    public int Channels { get; }

    /// <summary>h, the activation map height.</summary>
    public int Height { get; }

    /// <summary>w, the activation map width.</summary>
    public int Width { get; }

    /// <summary>H, the input image height (the map's output height).</summary>
    public int InputHeight { get; }

    /// <summary>W, the input image width (the map's output width).</summary>
    public int InputWidth { get; }

    /// <summary>c, the class explained (recorded; the gradients and head weights must already be for it).</summary>
    public int TargetClass { get; }

    /// <summary>h·w, the number of positions per channel.</summary>
    public int Positions => Height * Width;

    // A NaN or infinity from the model would flow through every method into the map: refuse it here.
    private static void CheckValues(float[] values, long expected, string name)
    {
        if (values.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} values, got {values.Length}.", name);
        }

        var bad = FiniteValues.FirstNonFinite(values);
        if (bad >= 0)
        {
            throw new ArgumentException($"Value {values[bad]} at index {bad} is not finite.", name);
        }
    }
}
