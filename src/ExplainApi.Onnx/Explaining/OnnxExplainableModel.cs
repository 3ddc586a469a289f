using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Serving;
using Microsoft.ML.OnnxRuntime;
using ExplainApi.Core.Numerics;

namespace ExplainApi.Onnx.Explaining;

/// <summary>
/// A served ONNX classifier as the saliency methods see it. Four sessions: <see cref="Forward"/> runs a copy of
/// the graph pruned to logits and activations (Score-CAM and RISE send hundreds of masked images through it and
/// must not pay for the backward graph), <see cref="Gradients(float[], int, int[])"/> runs the full exported graph, feeding
/// <c>target</c>, a copy pruned to ∂y_c/∂A serves callers that want no ∂y_c/∂x (the gradient CAMs: no backward
/// below the target layer), and <see cref="HeadLogits"/> runs the head cut off after the target tensor (Ablation-CAM).
/// Every OrtValue goes through the tracker and is disposed before a call returns, also when it throws.
/// Built by <see cref="OnnxExplainableModelBuilder"/>; disposed with its <see cref="LoadedModel"/>.
/// </summary>
public sealed class OnnxExplainableModel : IExplainableModel, IDisposable
{
    private readonly InferenceSession full;
    private readonly OnnxSession forward;
    private readonly OnnxSession? head;
    private readonly OnnxSession? activationGradients;
    private readonly float[]? headWeights;
    private readonly OrtValueTracker tracker;
    private readonly string inputName;
    private readonly string logitsName;
    private readonly string[] gradientOutputs;

    internal OnnxExplainableModel(
        ModelShape shape, string? targetLayer, ExplainableCapabilities capabilities, ActivationShape? activationShape,
        InferenceSession full, OnnxSession forward, OnnxSession? head, float[]? headWeights, int maxBatch, OrtValueTracker tracker,
        string inputName, string logitsName, string[] gradientOutputs, OnnxSession? activationGradients = null)
    {
        this.activationGradients = activationGradients;
        (Shape, TargetLayer, Capabilities, ActivationShape) = (shape, targetLayer, capabilities, activationShape);
        (this.full, this.forward, this.head, this.headWeights, MaxBatch, this.tracker) = (full, forward, head, headWeights, maxBatch, tracker);
        (this.inputName, this.logitsName, this.gradientOutputs) = (inputName, logitsName, gradientOutputs);
    }

    public ModelShape Shape { get; }

    public string? TargetLayer { get; }

    public ExplainableCapabilities Capabilities { get; }

    /// <summary>K×h×w of the target tensor (measured with ORT on a zero image), or null without one.</summary>
    public ActivationShape? ActivationShape { get; }

    public bool HasActivations => Capabilities.MissingActivations is null;

    public bool HasGradients => Capabilities.MissingGradients is null;

    public bool HasLinearHead => Capabilities.MissingHeadWeights is null;

    public bool HasSeparableHead => Capabilities.MissingSeparableHead is null;

    public int MaxBatch { get; }

    public int ConcurrentCalls => tracker.ConcurrentRuns;

    public bool HasActivationGradientPass => activationGradients is not null;

    /// <summary>From the manifest: softmax, or one sigmoid per class for a multi-label classifier.</summary>
    public OutputActivation OutputActivation { get; init; }

    public ForwardPass Forward(float[] inputs, int batch)
    {
        CheckBatch(inputs, batch, Shape.ItemSize);
        using var input = tracker.Input(inputs, [batch, Shape.Channels, Shape.Height, Shape.Width]);
        string[] outputs = HasActivations ? [logitsName, Capabilities.ActivationsTensor!] : [logitsName];
        using var results = tracker.Run(forward.Session, [inputName], input.Values, outputs);
        var logits = Finite(OrtOutputs.Floats(results[0]), "logits");
        CheckCount(logits, batch * Shape.Classes, "logits");
        var activations = HasActivations ? Finite(OrtOutputs.Floats(results[1]), "activations") : null;
        return new ForwardPass(logits, activations, HasActivations ? ActivationShape : null);
    }

    public GradientPass Gradients(float[] inputs, int batch, int[] targets) => Gradients(inputs, batch, targets, full, gradientOutputs);

    /// <summary>Without <see cref="SaliencyNeeds.InputGradients"/> wanted, the session pruned to ∂y_c/∂A (when the graph has one); input gradients then empty.</summary>
    public GradientPass Gradients(float[] inputs, int batch, int[] targets, SaliencyNeeds wanted, CancellationToken cancellation) =>
        (wanted & SaliencyNeeds.InputGradients) == 0 && activationGradients is not null
            ? Gradients(inputs, batch, targets, activationGradients.Session, [.. gradientOutputs.Where(o => o != ClassifierOnnxContract.GradInput)])
            : Gradients(inputs, batch, targets);

    private GradientPass Gradients(float[] inputs, int batch, int[] targets, InferenceSession session, string[] outputs)
    {
        if (!HasGradients)
        {
            throw new NotSupportedException(Capabilities.MissingGradients);
        }

        CheckBatch(inputs, batch, Shape.ItemSize);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != batch || targets.Any(t => t >= Shape.Classes))
        {
            throw new ArgumentException($"Expected {batch} targets below {Shape.Classes}.", nameof(targets));
        }

        using var image = tracker.Input(inputs, [batch, Shape.Channels, Shape.Height, Shape.Width]);
        using var target = tracker.Input([.. targets.Select(t => (long)t)], [batch]);
        using var results = tracker.Run(session, [inputName, ClassifierOnnxContract.Target], [image[0], target[0]], outputs);
        float[]? Output(string name) => Array.IndexOf(outputs, name) is var i and >= 0 ? OrtOutputs.Floats(results[i]) : null;

        var logits = Finite(Output(logitsName)!, "logits");
        var resolved = Array.IndexOf(outputs, ClassifierOnnxContract.TargetClass) is var t and >= 0
            ? OrtOutputs.Int32s(results[t])
            : [.. targets.Select((c, n) => c >= 0 ? c : OrtOutputs.ArgMax(logits.AsSpan(n * Shape.Classes, Shape.Classes)))];
        var activations = Output(ClassifierOnnxContract.Activations);
        var activationGradients = Output(ClassifierOnnxContract.GradActivations);
        return new GradientPass(
            logits,
            resolved,
            activations is null ? null : Finite(activations, "activations"),
            activationGradients is null ? null : Finite(activationGradients, "grad_activations"),
            activations is null ? null : ActivationShape,
            Output(ClassifierOnnxContract.GradInput) is { } gradInput ? Finite(gradInput, "grad_input") : []);
    }

    public float[] HeadWeights(int targetClass)
    {
        if (headWeights is null || ActivationShape is not { } a)
        {
            throw new NotSupportedException(Capabilities.MissingHeadWeights);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(targetClass);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(targetClass, Shape.Classes);
        return headWeights.AsSpan(targetClass * a.Channels, a.Channels).ToArray();
    }

    public float[] HeadLogits(float[] activations, int batch)
    {
        if (head is null || ActivationShape is not { } a)
        {
            throw new NotSupportedException(Capabilities.MissingSeparableHead);
        }

        CheckBatch(activations, batch, a.ItemSize);
        using var input = tracker.Input(activations, [batch, a.Channels, a.Height, a.Width]);
        using var results = tracker.Run(head.Session, [Capabilities.ActivationsTensor!], input.Values, [logitsName]);
        var logits = Finite(OrtOutputs.Floats(results[0]), "logits");
        CheckCount(logits, batch * Shape.Classes, "logits");
        return logits;
    }

    public void Dispose()
    {
        forward.Dispose();
        head?.Dispose();
        activationGradients?.Dispose();
    }

    private static void CheckBatch(float[] values, int batch, int itemSize)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (values.Length != (long)batch * itemSize)
        {
            throw new ArgumentException($"Expected {batch} items of {itemSize} values, got {values.Length} values.", nameof(values));
        }
    }

    private static void CheckCount(float[] values, int expected, string name)
    {
        if (values.Length != expected)
        {
            throw new NonFiniteModelOutputException($"The model returned {values.Length} values of {name}; expected {expected}.");
        }
    }

    private static float[] Finite(float[] values, string name) =>
        !FiniteValues.All(values)
            ? throw new NonFiniteModelOutputException($"The model returned {name} that are not finite (NaN or infinity).")
            : values;
}
