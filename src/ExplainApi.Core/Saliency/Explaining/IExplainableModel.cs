using ExplainApi.Core.Models;

namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// A classifier as the saliency methods see it, whatever runs it (ONNX Runtime when serving, TorchSharp or a
/// managed model in tests). Images are float32 C×H×W row-major, batches one item after the other. Every call
/// is thread-safe and keeps no reference to the arrays it is given. What a model cannot do is said by the
/// <c>Has…</c> flags; calling such a member throws <see cref="NotSupportedException"/>.
/// </summary>
public interface IExplainableModel
{
    /// <summary>Input channels C, height H, width W and number of classes.</summary>
    ModelShape Shape { get; }

    /// <summary>The target layer whose activations A the CAM family reads (e.g. <c>layer3</c>), or null when the model exposes none.</summary>
    string? TargetLayer { get; }

    /// <summary>K×h×w of the target layer's activations when known before a pass (what the cost of K-pass methods needs), else null.</summary>
    ActivationShape? ActivationShape => null;

    /// <summary>True when <see cref="Forward"/> returns the target layer's activations.</summary>
    bool HasActivations { get; }

    /// <summary>True when <see cref="Gradients"/> works (the model carries its backward graph).</summary>
    bool HasGradients { get; }

    /// <summary>True when <see cref="HeadWeights"/> works: the head is GAP → linear, so CAM applies.</summary>
    bool HasLinearHead { get; }

    /// <summary>
    /// True when <see cref="Gradients(float[], int, int[], SaliencyNeeds, CancellationToken)"/> without
    /// <see cref="SaliencyNeeds.InputGradients"/> runs a pass pruned to ∂y_c/∂A, which costs about one forward.
    /// </summary>
    bool HasActivationGradientPass => false;

    /// <summary>True when <see cref="HeadLogits"/> works: the part after the target layer can be run on its own (Ablation-CAM).</summary>
    bool HasSeparableHead { get; }

    /// <summary>How the logits become class probabilities: softmax, or one sigmoid per class for a multi-label classifier.</summary>
    OutputActivation OutputActivation => OutputActivation.Softmax;

    /// <summary>
    /// Calls the model computes at once (the thread plan's run slots, each with its share of the cores): a method with many
    /// batches (Score-CAM, occlusion) issues up to this many at a time, so a lone request still uses every core.
    /// </summary>
    int ConcurrentCalls => 1;

    /// <summary>The largest batch one call should carry; methods split their work into batches of at most this.</summary>
    int MaxBatch { get; }

    /// <summary>Logits (batch × classes) and, when <see cref="HasActivations"/>, the target layer's activations.</summary>
    ForwardPass Forward(float[] inputs, int batch);

    /// <summary>
    /// One forward and backward pass: for item n, the gradients of its logit y_{targets[n]} with respect to the
    /// target layer's activations and to the input. A negative target means the item's predicted class.
    /// </summary>
    GradientPass Gradients(float[] inputs, int batch, int[] targets);

    /// <summary>
    /// <see cref="Gradients(float[], int, int[])"/> for a caller that reads only the gradients in <paramref name="wanted"/> and
    /// may leave: without <see cref="SaliencyNeeds.InputGradients"/> a model may skip the backward graph below the target layer
    /// (the gradient CAMs need ∂y_c/∂A only) and return an empty <see cref="GradientPass.InputGradients"/>; a model that queues
    /// calls (dynamic batching) drops a queued call when <paramref name="cancellation"/> fires. By default the full pass.
    /// </summary>
    GradientPass Gradients(float[] inputs, int batch, int[] targets, SaliencyNeeds wanted, CancellationToken cancellation) => Gradients(inputs, batch, targets);

    /// <summary><see cref="Forward(float[], int)"/> for a caller that may leave (see the gradients' overload).</summary>
    ForwardPass Forward(float[] inputs, int batch, CancellationToken cancellation) => Forward(inputs, batch);

    /// <summary>W_fc[c, k], k = 0..K−1, of a GAP → linear head.</summary>
    float[] HeadWeights(int targetClass);

    /// <summary>Logits (batch × classes) of the head alone applied to <paramref name="activations"/> (batch × K×h×w).</summary>
    float[] HeadLogits(float[] activations, int batch);
}

/// <summary>C×H×W input and the number of classes.</summary>
public readonly record struct ModelShape(int Channels, int Height, int Width, int Classes)
{
    /// <summary>C·H·W, the floats of one input item.</summary>
    public int ItemSize => Channels * Height * Width;
}

/// <summary>K×h×w of the target layer's activations.</summary>
public readonly record struct ActivationShape(int Channels, int Height, int Width)
{
    /// <summary>K·h·w, the floats of one item.</summary>
    public int ItemSize => Channels * Height * Width;
}

/// <summary>The result of <see cref="IExplainableModel.Forward"/>: logits batch × classes; activations batch × K×h×w or null.</summary>
public sealed record ForwardPass(float[] Logits, float[]? Activations, ActivationShape? ActivationShape);

/// <summary>
/// The result of <see cref="IExplainableModel.Gradients"/>: <see cref="Targets"/> are the classes actually
/// differentiated (predicted classes resolved); <see cref="ActivationGradients"/> ∂y_c/∂A (batch × K×h×w, null
/// when the model has no target layer) and <see cref="InputGradients"/> ∂y_c/∂x (batch × C×H×W; empty when a caller asked
/// for ∂y_c/∂A only and the model skipped it).
/// </summary>
public sealed record GradientPass(
    float[] Logits,
    int[] Targets,
    float[]? Activations,
    float[]? ActivationGradients,
    ActivationShape? ActivationShape,
    float[] InputGradients);
