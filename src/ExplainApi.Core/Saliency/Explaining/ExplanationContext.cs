using ExplainApi.Core.Saliency.Perturbation;
using ExplainApi.Core.Numerics;

namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// One image being explained for one class. The forward pass and the gradient pass are run at most once each
/// and shared by every method asked for in the same request (all the gradient CAMs read the same A and
/// ∂y_c/∂A). Not thread-safe: one context per image and request.
/// </summary>
public sealed class ExplanationContext
{
    private ForwardPass? forward;
    private GradientPass? gradients;
    private ForwardContext? batches;

    /// <param name="targetClass">The class to explain; null means the predicted class.</param>
    /// <param name="cancellation">Checked between the batched model calls of every method (the client left, the host stops).</param>
    public ExplanationContext(IExplainableModel model, float[] image, int? targetClass = null, SaliencyOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        var shape = model.Shape;
        if (image.Length != shape.ItemSize)
        {
            throw new ArgumentException($"Expected {shape.Channels}x{shape.Height}x{shape.Width} values, got {image.Length}.", nameof(image));
        }

        if (!FiniteValues.All(image))
        {
            throw new ArgumentException("The image has a value that is not finite.", nameof(image));
        }

        if (targetClass is { } c && (c < 0 || c >= shape.Classes))
        {
            throw new ArgumentOutOfRangeException(nameof(targetClass), c, $"The model has classes 0..{shape.Classes - 1}.");
        }

        (Model, Image, Options, requestedClass, Cancellation) = (model, image, options ?? SaliencyOptions.Default, targetClass, cancellation);
    }

    private readonly int? requestedClass;

    public IExplainableModel Model { get; }

    /// <summary>The image, C×H×W (never modified).</summary>
    public float[] Image { get; }

    public SaliencyOptions Options { get; }

    /// <summary>
    /// Stops an explanation between batches: the batched loops (<see cref="Batches"/>, the gradient methods,
    /// Ablation-CAM) call ThrowIfCancellationRequested before each model call, so a cancelled request throws
    /// <see cref="OperationCanceledException"/> after at most one more batch and holds no model outputs.
    /// </summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The forward pass on the image (logits, and activations when the model has them), run once.</summary>
    public ForwardPass Forward => forward ??= Checked(Model.Forward(Image, 1));

    /// <summary>The gradient pass for <see cref="TargetClass"/>, run once.</summary>
    public GradientPass Gradients => gradients ??= Checked(Model.Gradients(Image, 1, [TargetClass]));

    /// <summary>
    /// Hands the context this image's slice of a forward pass already run for a batch of images, so N images of one
    /// request cost one forward call instead of N. Checked like a pass the context runs itself.
    /// </summary>
    public void Provide(ForwardPass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        forward = Checked(pass);
    }

    /// <summary>
    /// The same for the gradient pass; it must have been run for <see cref="TargetClass"/>. A pass run for ∂y_c/∂A only
    /// (empty input gradients) serves only methods that do not read ∂y_c/∂x.
    /// </summary>
    public void Provide(GradientPass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (pass.Targets is not [var target] || target != TargetClass)
        {
            throw new ArgumentException($"The gradient pass is for class(es) {string.Join(", ", pass.Targets)}, not {TargetClass}.", nameof(pass));
        }

        ModelOutputs.Check(pass, 1, Model.Shape, mayOmitInputGradients: true);
        gradients = pass;
    }

    /// <summary>
    /// The model's forward function for batches of perturbed copies (occlusion, RISE, Score-CAM), at most
    /// <see cref="IExplainableModel.MaxBatch"/> items per call; logits that are not finite throw
    /// <see cref="NonFiniteModelOutputException"/>.
    /// </summary>
    public ForwardContext Batches => batches ??= new ForwardContext(
        Model.Shape.Channels, Model.Shape.Height, Model.Shape.Width, Model.Shape.Classes, ForwardLogits, Model.MaxBatch, Cancellation)
    {
        Activation = Model.OutputActivation, Parallelism = Model.ConcurrentCalls,
    };

    /// <summary>The class explained: the requested one, else the arg-max of the logits.</summary>
    public int TargetClass => requestedClass ?? Logits.ArgMax(Forward.Logits);

    /// <summary>The image's class probabilities: softmax of its logits, or their sigmoids for a multi-label model.</summary>
    public double[] Probabilities => ClassProbabilities.Of(Forward.Logits, Model.OutputActivation);

    private ForwardPass Checked(ForwardPass pass)
    {
        ModelOutputs.CheckLogits(pass.Logits, 1, Model.Shape.Classes);
        ModelOutputs.CheckFinite(pass.Activations, "activations");
        return pass;
    }

    private GradientPass Checked(GradientPass pass)
    {
        ModelOutputs.Check(pass, 1, Model.Shape);
        return pass;
    }

    private float[] ForwardLogits(float[] inputs, int batch)
    {
        var logits = Model.Forward(inputs, batch).Logits;
        ModelOutputs.CheckLogits(logits, batch, Model.Shape.Classes);
        return logits;
    }
}

/// <summary>The model produced NaN or infinity: the service answers 422 rather than drawing a meaningless map.</summary>
public sealed class NonFiniteModelOutputException(string message) : Exception(message);
