using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// CAM seeds (<see cref="CamSeeds"/>) of a classifier's images: one batched forward pass for all images, one batched
/// gradient pass over every (image, labelled class) pair when the method reads gradients, then the method's map per pair
/// through an <see cref="ExplanationContext"/> given those passes — the path the explanation endpoints take, so the map
/// of class c is exactly what explaining c returns (the model's target layer, ReLU, bilinear upsampling to H×W).
/// Without labels an image's classes are predicted (<see cref="ImageLabels.Predicted"/>).
/// </summary>
public static class SeedGenerator
{
    /// <param name="labels">The classes present (a training image's labels), or null to predict them.</param>
    public static CamSeed Generate(
        IExplainableModel model, float[] image, IReadOnlyCollection<int>? labels = null, SeedOptions? options = null, CancellationToken cancellation = default) =>
        Generate(model, [image], [labels], options, cancellation)[0];

    /// <exception cref="NotSupportedException">The model cannot run the method (the message says why).</exception>
    /// <exception cref="NonFiniteModelOutputException">The model returned NaN or infinity.</exception>
    /// <exception cref="OperationCanceledException">Stopped between model calls or maps.</exception>
    public static IReadOnlyList<CamSeed> Generate(
        IExplainableModel model, IReadOnlyList<float[]> images, IReadOnlyList<IReadOnlyCollection<int>?> labels, SeedOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= SeedOptions.Default;
        var method = options.Validate();
        if (!SaliencyMethods.Supports(method, model, out var reason))
        {
            throw new NotSupportedException(reason);
        }

        if (labels.Count != images.Count)
        {
            throw new ArgumentException($"Expected one label set (or null) per image ({images.Count}), got {labels.Count}.", nameof(labels));
        }

        // Every argument is checked before the first model call.
        var given = labels.Select(l => l is null ? null : CamSeeds.LabelledClasses(l, model.Shape.Classes)).ToArray();
        var contexts = images.Select(image => new ExplanationContext(model, image, null, options.Saliency, cancellation)).ToArray();
        var forward = BatchedPasses.Forward(model, images, cancellation);
        var classes = new int[images.Count][];
        for (var n = 0; n < images.Count; n++)
        {
            contexts[n].Provide(forward[n]); // checks the logits
            classes[n] = given[n] ?? ImageLabels.Predicted(forward[n].Logits, model.OutputActivation, options.Threshold);
        }

        var pairs = classes.SelectMany((list, n) => list.Select(c => (Image: n, Class: c))).ToArray();
        var gradients = method.NeedsGradients
            ? BatchedPasses.Gradients(model, [.. pairs.Select(p => images[p.Image])], [.. pairs.Select(p => p.Class)],
                SaliencyNeedsOf.Gradients([method]), cancellation) // a gradient CAM: no ∂y_c/∂x
            : null;
        var maps = new float[pairs.Length][];
        for (var i = 0; i < pairs.Length; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (n, c) = pairs[i];
            var context = new ExplanationContext(model, images[n], c, options.Saliency, cancellation);
            context.Provide(forward[n]);
            if (gradients is not null)
            {
                context.Provide(gradients[i]);
            }

            maps[i] = CamSeeds.NormalizeByMax(method.Compute(context).Raw);
        }

        var (height, width) = (model.Shape.Height, model.Shape.Width);
        var seeds = new CamSeed[images.Count];
        for (int n = 0, offset = 0; n < images.Count; offset += classes[n].Length, n++)
        {
            var cams = maps[offset..(offset + classes[n].Length)];
            var seed = CamSeeds.FromNormalized(cams, classes[n], height, width, options.Alpha);
            seeds[n] = new CamSeed(seed, height, width, classes[n], cams, labels[n] is null, contexts[n].Probabilities);
        }

        return seeds;
    }
}
