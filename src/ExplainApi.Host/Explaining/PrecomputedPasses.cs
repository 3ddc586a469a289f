using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Host.Explaining;

/// <summary>
/// One image's view of a model whose forward and gradient passes were already run for a whole batch of images:
/// <see cref="ExplanationContext"/> asks for the pass of exactly this image (same array, batch 1) and gets its slice
/// of the batched run, so N uploaded images cost one forward and one gradient call instead of N. Every other call
/// (the masked batches of Score-CAM, RISE, SmoothGrad…) goes to the model itself.
/// </summary>
internal sealed class PrecomputedPasses(IExplainableModel model, float[] image, ForwardPass forward, GradientPass? gradients) : IExplainableModel
{
    public ModelShape Shape => model.Shape;

    public string? TargetLayer => model.TargetLayer;

    public bool HasActivations => model.HasActivations;

    public bool HasGradients => model.HasGradients;

    public bool HasLinearHead => model.HasLinearHead;

    public bool HasSeparableHead => model.HasSeparableHead;

    public int MaxBatch => model.MaxBatch;

    public ForwardPass Forward(float[] inputs, int batch) =>
        batch == 1 && ReferenceEquals(inputs, image) ? forward : model.Forward(inputs, batch);

    public GradientPass Gradients(float[] inputs, int batch, int[] targets) =>
        batch == 1 && ReferenceEquals(inputs, image) && gradients is not null && targets is [var t] && t == gradients.Targets[0]
            ? gradients
            : model.Gradients(inputs, batch, targets);

    public float[] HeadWeights(int targetClass) => model.HeadWeights(targetClass);

    public float[] HeadLogits(float[] activations, int batch) => model.HeadLogits(activations, batch);
}
