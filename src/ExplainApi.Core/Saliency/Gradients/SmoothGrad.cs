using ExplainApi.Core.Datasets;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency.Gradients;

/// <summary>
/// SmoothGrad (Smilkov et al., "SmoothGrad: removing noise by adding noise", 2017, eq. 3): the mean of the
/// vanilla-gradient map max_c |∂y_c/∂x| over n copies x + N(0, σ²), σ = noise·(max x − min x), n = 50 and
/// noise = 0.15 by default (<see cref="SaliencyOptions"/>). Every copy is differentiated for the context's
/// target class (resolved once on the clean image, not per noisy copy). The noise is drawn from
/// <see cref="NoiseFor"/>, copy after copy, channel-major within a copy, so a reference can replay it.
/// </summary>
public sealed class SmoothGrad : ISaliencyMethod
{
    public string Name => "smoothgrad";

    public SaliencyNeeds Needs => SaliencyNeeds.InputGradients;

    /// <summary>The standard-normal stream of a request's seed.</summary>
    public static SampleRandom NoiseFor(ulong seed) => new(seed);

    /// <summary>n gradient passes, one per noisy copy.</summary>
    public ModelPasses Passes(IExplainableModel model, SaliencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Forward: 0, Gradient: options.SmoothGradSamples);
    }

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (image, options, shape) = (context.Image, context.Options, context.Model.Shape);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SmoothGradSamples, nameof(options.SmoothGradSamples));
        var sigma = options.SmoothGradNoise * (image.Max() - (double)image.Min());
        var noise = NoiseFor(options.Seed);
        var map = new double[shape.Height * shape.Width];
        // Items are written in index order, so the noise stream does not depend on the batch size.
        GradientBatches.Run(
            context,
            options.SmoothGradSamples,
            (_, destination) =>
            {
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)(image[i] + (sigma * noise.NextGaussian()));
                }
            },
            (_, gradient, _) => GradientBatches.AddMaxAbs(gradient, shape.Channels, map));

        for (var i = 0; i < map.Length; i++)
        {
            map[i] /= options.SmoothGradSamples;
        }

        return RawMaps.Create(Name, context.TargetClass, shape.Height, shape.Width, map);
    }
}
