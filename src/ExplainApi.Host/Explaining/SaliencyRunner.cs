using System.Diagnostics;
using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Host.Explaining;

/// <summary>One method's map for one image and how long it took (the shared passes not included).</summary>
public sealed record TimedMap(SaliencyMap Map, double Milliseconds);

/// <summary>One image: its class probabilities, the class explained, and a map per method.</summary>
public sealed record ImageSaliency(double[] Probabilities, int TargetClass, IReadOnlyList<TimedMap> Maps);

/// <summary>All images of a request and the time of the shared batched passes.</summary>
public sealed record SaliencyRun(IReadOnlyList<ImageSaliency> Images, double ForwardMilliseconds, double GradientMilliseconds);

/// <summary>
/// Runs the requested methods on a batch of images: one batched gradient pass when any method reads gradients (its
/// logits and activations serve as the forward; only the gradients some method reads), else one batched forward
/// pass, then each method per image over an
/// <see cref="ExplanationContext"/> that shares those passes among the methods. The cancellation token is checked
/// between the batched passes, between methods and inside every method's batched loop.
/// </summary>
public static class SaliencyRunner
{
    /// <exception cref="NonFiniteModelOutputException">The model returned NaN or infinity.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled; stopped between batches.</exception>
    public static SaliencyRun Run(
        IExplainableModel model, IReadOnlyList<float[]> images, IReadOnlyList<ISaliencyMethod> methods, int? target, SaliencyOptions options,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(methods);
        var clock = Stopwatch.StartNew();
        var contexts = images.Select(image => new ExplanationContext(model, image, target, options, cancellation)).ToArray();
        var forwardMs = 0.0;
        var gradientMs = 0.0;
        var needsGradients = methods.Any(m => m.NeedsGradients);
        if (needsGradients && GradientPassWithForward(model, images, contexts, target, Wanted(methods), cancellation))
        {
            gradientMs = clock.Elapsed.TotalMilliseconds;
        }
        else
        {
            var forward = BatchedPasses.Forward(model, images, cancellation);
            for (var n = 0; n < contexts.Length; n++)
            {
                contexts[n].Provide(forward[n]); // checks the logits (NaN → NonFiniteModelOutputException)
            }

            forwardMs = clock.Elapsed.TotalMilliseconds;
            if (needsGradients)
            {
                clock.Restart();
                var gradients = BatchedPasses.Gradients(model, images, [.. contexts.Select(c => c.TargetClass)], Wanted(methods), cancellation);
                for (var n = 0; n < contexts.Length; n++)
                {
                    contexts[n].Provide(gradients[n]);
                }

                gradientMs = clock.Elapsed.TotalMilliseconds;
            }
        }

        var results = contexts.Select(context =>
        {
            var maps = methods.Select(method =>
            {
                cancellation.ThrowIfCancellationRequested();
                clock.Restart();
                var map = method.Compute(context);
                return new TimedMap(map, clock.Elapsed.TotalMilliseconds);
            }).ToList();
            return new ImageSaliency(context.Probabilities, context.TargetClass, maps);
        }).ToList();
        return new SaliencyRun(results, forwardMs, gradientMs);
    }

    /// <summary>
    /// The gradient pass alone, with target −1 (the graph resolves the predicted class): its logits and activations
    /// serve as the forward pass, so a gradient request runs the model once (PERFORMANCE.md, observation 2). False,
    /// with nothing provided, when the pass lacks the activations the model's forward would give (then the caller runs
    /// the forward and the gradient pass for the resolved classes, as before).
    /// </summary>
    private static bool GradientPassWithForward(
        IExplainableModel model, IReadOnlyList<float[]> images, ExplanationContext[] contexts, int? target, SaliencyNeeds wanted, CancellationToken cancellation)
    {
        var gradients = BatchedPasses.Gradients(model, images, [.. images.Select(_ => target ?? -1)], wanted, cancellation);
        if (model.HasActivations && Array.Exists(gradients, g => g.Activations is null))
        {
            return false;
        }

        for (var n = 0; n < contexts.Length; n++)
        {
            contexts[n].Provide(new ForwardPass(gradients[n].Logits, gradients[n].Activations, gradients[n].ActivationShape)); // checks the logits
            contexts[n].Provide(gradients[n]);
        }

        return true;
    }

    /// <summary>The gradients any of <paramref name="methods"/> reads: ∂y_c/∂A alone lets the model skip the backward below the target layer.</summary>
    private static SaliencyNeeds Wanted(IReadOnlyList<ISaliencyMethod> methods) =>
        methods.Aggregate(SaliencyNeeds.ForwardOnly, (needs, m) => needs | m.Needs) & (SaliencyNeeds.ActivationGradients | SaliencyNeeds.InputGradients);
}
