namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// The forward and gradient passes of several images in as few model calls as <see cref="IExplainableModel.MaxBatch"/> allows,
/// split per image (for <see cref="ExplanationContext.Provide(ForwardPass)"/>). The same image may appear several times,
/// e.g. once per class to differentiate.
/// </summary>
public static class BatchedPasses
{
    public static ForwardPass[] Forward(IExplainableModel model, IReadOnlyList<float[]> images, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        var result = new ForwardPass[images.Count];
        foreach (var (start, count, inputs) in Chunks(model, images, cancellation))
        {
            var pass = model.Forward(inputs, count);
            for (var n = 0; n < count; n++)
            {
                result[start + n] = new ForwardPass(
                    Slice(pass.Logits, n, model.Shape.Classes)!, Slice(pass.Activations, n, pass.ActivationShape?.ItemSize ?? 0), pass.ActivationShape);
            }
        }

        return result;
    }

    /// <param name="targets">The class differentiated for each image (negative: its predicted class).</param>
    public static GradientPass[] Gradients(IExplainableModel model, IReadOnlyList<float[]> images, int[] targets, CancellationToken cancellation = default) =>
        Gradients(model, images, targets, SaliencyNeeds.ActivationGradients | SaliencyNeeds.InputGradients, cancellation);

    /// <param name="wanted">The gradients the caller reads (<see cref="IExplainableModel.Gradients(float[], int, int[], SaliencyNeeds)"/>).</param>
    public static GradientPass[] Gradients(IExplainableModel model, IReadOnlyList<float[]> images, int[] targets, SaliencyNeeds wanted, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length != images.Count)
        {
            throw new ArgumentException($"Expected one target per image ({images.Count}), got {targets.Length}.", nameof(targets));
        }

        var result = new GradientPass[images.Count];
        foreach (var (start, count, inputs) in Chunks(model, images, cancellation))
        {
            var pass = model.Gradients(inputs, count, targets[start..(start + count)], wanted);
            var k = pass.ActivationShape?.ItemSize ?? 0;
            for (var n = 0; n < count; n++)
            {
                result[start + n] = new GradientPass(
                    Slice(pass.Logits, n, model.Shape.Classes)!, [pass.Targets[n]], Slice(pass.Activations, n, k),
                    Slice(pass.ActivationGradients, n, k), pass.ActivationShape, pass.InputGradients.Length == 0 ? [] : Slice(pass.InputGradients, n, model.Shape.ItemSize)!);
            }
        }

        return result;
    }

    private static IEnumerable<(int Start, int Count, float[] Inputs)> Chunks(IExplainableModel model, IReadOnlyList<float[]> images, CancellationToken cancellation)
    {
        var size = model.Shape.ItemSize;
        for (var start = 0; start < images.Count; start += model.MaxBatch)
        {
            cancellation.ThrowIfCancellationRequested();
            var count = Math.Min(model.MaxBatch, images.Count - start);
            var inputs = new float[count * size];
            for (var n = 0; n < count; n++)
            {
                images[start + n].CopyTo(inputs, n * size);
            }

            yield return (start, count, inputs);
        }
    }

    private static float[]? Slice(float[]? values, int item, int itemSize) =>
        values is null || itemSize == 0 ? null : values.AsSpan(item * itemSize, itemSize).ToArray();
}
