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
            var pass = model.Forward(inputs, count, cancellation);
            for (var n = 0; n < count; n++)
            {
                result[start + n] = PassSlices.Forward(pass, n, 1, model.Shape.Classes);
            }
        }

        return result;
    }

    /// <param name="targets">The class differentiated for each image (negative: its predicted class).</param>
    public static GradientPass[] Gradients(IExplainableModel model, IReadOnlyList<float[]> images, int[] targets, CancellationToken cancellation = default) =>
        Gradients(model, images, targets, SaliencyNeeds.ActivationGradients | SaliencyNeeds.InputGradients, cancellation);

    /// <param name="wanted">The gradients the caller reads (<see cref="IExplainableModel.Gradients(float[], int, int[], SaliencyNeeds, CancellationToken)"/>).</param>
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
            var pass = model.Gradients(inputs, count, targets[start..(start + count)], wanted, cancellation);
            for (var n = 0; n < count; n++)
            {
                result[start + n] = PassSlices.Gradients(pass, n, 1, model.Shape);
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
}
