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
        GradientPass[]? gradients = null;
        var gradientMs = 0.0;
        if (methods.Any(m => m.NeedsGradients))
        {
            // Target −1: the graph resolves each image's predicted class, the one the forward's logits would pick.
            gradients = BatchedPasses.Gradients(model, images, [.. images.Select(_ => target ?? -1)], SaliencyNeedsOf.Gradients(methods), cancellation);
            gradientMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
        }

        // The gradient pass's logits and activations serve as the forward, so a gradient request runs the model once
        // (PERFORMANCE.md, observation 2); only a pass without the activations the model has needs the forward for them.
        var forwardMs = 0.0;
        var forward = gradients?.Select(g => new ForwardPass(g.Logits, g.Activations, g.ActivationShape)).ToArray();
        if (forward is null || (model.HasActivations && Array.Exists(forward, f => f.Activations is null)))
        {
            var run = BatchedPasses.Forward(model, images, cancellation);
            forward = forward is null ? run : [.. forward.Select((f, n) => f with { Activations = run[n].Activations, ActivationShape = run[n].ActivationShape })];
            forwardMs = clock.Elapsed.TotalMilliseconds;
        }

        for (var n = 0; n < contexts.Length; n++)
        {
            contexts[n].Provide(forward[n]); // checks the logits (NaN → NonFiniteModelOutputException)
            if (gradients is not null)
            {
                contexts[n].Provide(gradients[n]);
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
}
