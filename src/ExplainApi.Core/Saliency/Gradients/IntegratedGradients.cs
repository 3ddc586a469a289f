using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency.Gradients;

/// <summary>
/// Integrated Gradients (Sundararajan, Taly &amp; Yan, "Axiomatic Attribution for Deep Networks", ICML 2017,
/// eq. 3, right Riemann sum): IG_i = (x_i − x'_i)·(1/M) Σ_{m=1..M} ∂y_c/∂x_i at x' + (m/M)(x − x'), with the
/// zero baseline x' = 0 and M = 64 (<see cref="SaliencyOptions.IntegratedGradientsSteps"/>). The map is the
/// signed attribution summed over channels (<see cref="SaliencyMap.IsSigned"/>). Completeness (their
/// Proposition 1) says Σ_i IG_i = y_c(x) − y_c(x'); the Riemann sum misses it by a gap that shrinks with M,
/// reported in <see cref="SaliencyMap.Diagnostics"/>. The baseline itself travels as item 0 (its gradient is
/// not used) so that y_c(x') comes from the same batched pass; item M is x, giving y_c(x).
/// </summary>
public sealed class IntegratedGradients : ISaliencyMethod
{
    /// <summary>Σ_i IG_i over all channels and pixels.</summary>
    public const string AttributionSum = "attributionSum";

    /// <summary>y_c(x) − y_c(x').</summary>
    public const string ScoreDifference = "scoreDifference";

    /// <summary>Σ IG − (y_c(x) − y_c(x')): 0 for an exact integral.</summary>
    public const string CompletenessGap = "completenessGap";

    public string Name => "integratedgradients";

    public SaliencyNeeds Needs => SaliencyNeeds.InputGradients;

    /// <summary>M + 1 gradient passes: the baseline and the M path points.</summary>
    public ModelPasses Passes(IExplainableModel model, SaliencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Forward: 0, Gradient: options.IntegratedGradientsSteps + 1.0);
    }

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (image, shape, target) = (context.Image, context.Model.Shape, context.TargetClass);
        var steps = context.Options.IntegratedGradientsSteps;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps, nameof(SaliencyOptions.IntegratedGradientsSteps));
        var gradientSum = new double[image.Length];
        double baselineScore = 0, imageScore = 0;
        GradientBatches.Run(
            context,
            steps + 1,
            (m, destination) =>
            {
                var alpha = (float)((double)m / steps);
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = alpha * image[i];
                }
            },
            (m, gradient, logits) =>
            {
                if (m == 0)
                {
                    baselineScore = logits[target];
                    return;
                }

                imageScore = m == steps ? logits[target] : imageScore;
                for (var i = 0; i < gradient.Length; i++)
                {
                    gradientSum[i] += gradient[i];
                }
            });

        var pixels = shape.Height * shape.Width;
        var map = new double[pixels];
        var total = 0.0;
        for (var i = 0; i < image.Length; i++)
        {
            var attribution = image[i] * gradientSum[i] / steps;
            map[i % pixels] += attribution;
            total += attribution;
        }

        var difference = imageScore - baselineScore;
        var diagnostics = new Dictionary<string, double>
        {
            [AttributionSum] = total,
            [ScoreDifference] = difference,
            [CompletenessGap] = total - difference,
        };
        return RawMaps.Create(Name, target, shape.Height, shape.Width, map, signed: true, diagnostics);
    }
}
