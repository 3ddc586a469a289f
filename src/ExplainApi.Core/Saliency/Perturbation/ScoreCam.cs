using ExplainApi.Core.Rendering;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>
/// Score-CAM (Wang et al., "Score-CAM: Score-Weighted Visual Explanations for CNNs", CVPRW 2020, eq. 3–6):
/// H_k = upsample(A_k) min–max normalised to [0, 1]; w_k = softmax(f(x ∘ H_k))_c, the class probability
/// as the authors' code and torch-cam use; L = ReLU(Σ_k w_k A_k), then <see cref="CamMethod"/>'s usual
/// upsampling and normalisation. With <c>subtractBaseline</c>, w_k is the paper's channel-wise increase
/// of confidence, CIC = softmax(f(x ∘ H_k))_c − softmax(f(x_b))_c with x_b = 0 (which is also x ∘ 0).
/// A constant channel has no normalised mask: it is skipped (w_k = 0, no forward pass). The masked
/// copies (and the baseline, first) are evaluated in batches of <see cref="ForwardContext.MaxBatch"/>.
/// Fast mode (<paramref name="keep"/> set): only the top <c>keep</c> varying channels by <paramref name="ranking"/>
/// are run, the others get <paramref name="skipped"/> (see <see cref="ScoreCamChannels"/>).
/// Through <see cref="ISaliencyMethod"/>, <see cref="SaliencyOptions"/> chooses CIC, the mode and k.
/// </summary>
public sealed class ScoreCam(bool subtractBaseline = false, int? keep = null,
    ChannelRanking ranking = ScoreCamChannels.DefaultRanking, SkippedChannelWeight skipped = ScoreCamChannels.DefaultFill) : ISaliencyMethod
{
    private readonly int? keep = keep is < 1 ? throw new ArgumentOutOfRangeException(nameof(keep), keep, "Fast Score-CAM keeps at least one channel.") : keep;

    public string Name => "scorecam";

    public SaliencyNeeds Needs => SaliencyNeeds.Activations;

    /// <summary>At most K masked forwards (k in fast mode; constant channels are skipped), plus the zero baseline for CIC.</summary>
    public ModelPasses Passes(IExplainableModel model, SaliencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var channels = ExplanationCost.Channels(model);
        var masked = Kept(options, channels) is { } k ? Math.Min(k, channels) : channels;
        return new(Forward: masked + (options.ScoreCamSubtractBaseline ? 1 : 0));
    }

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inputs = ExplanationInputs.Cam(context, Needs);
        return new ScoreCam(context.Options.ScoreCamSubtractBaseline, Kept(context.Options, inputs.Channels))
            .Compute(inputs, context.Batches, context.Image);
    }

    public SaliencyMap Compute(SaliencyInputs inputs, ForwardContext model, float[] image) => Map(inputs, Weights(inputs, model, image));

    /// <summary>Σ_k w_k A_k through the CAM pipeline, for weights found by <see cref="Weights"/> (or derived from them).</summary>
    public static SaliencyMap Map(SaliencyInputs inputs, double[] weights) => new FixedWeightCam("scorecam", weights).Compute(inputs);

    /// <summary>w_k for every channel: the masked scores of the channels run, the fill of those skipped, 0 for constant ones.</summary>
    public double[] Weights(SaliencyInputs inputs, ForwardContext model, float[] image)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(model);
        model.CheckImage(image);
        model.CheckClass(inputs.TargetClass);
        if (inputs.InputHeight != model.Height || inputs.InputWidth != model.Width)
        {
            throw new ArgumentException($"The map size {inputs.InputHeight}x{inputs.InputWidth} differs from the model input {model.Height}x{model.Width}.", nameof(inputs));
        }

        // Masks are rebuilt inside the writer rather than kept: K×H×W floats is 400 MB for ResNet-50 at 224².
        var ranges = new (float Min, float Max)[inputs.Channels];
        var active = Varying(inputs, ranges);
        var (run, rest) = (active, Array.Empty<int>());
        if (keep is { } k && k < active.Length)
        {
            var ranked = ScoreCamChannels.Ranked(inputs.Activations, inputs.Positions, active, ranking);
            (run, rest) = (ranked[..k], ranked[k..]);
        }

        var offset = subtractBaseline ? 1 : 0;
        var pixels = model.Pixels;
        var scores = model.TargetProbabilities(run.Length + offset, inputs.TargetClass, (index, destination) =>
        {
            if (index < offset)
            {
                destination.Clear();
                return;
            }

            var channel = run[index - offset];
            var mask = Upsample(inputs, channel);
            var (min, max) = ranges[channel];
            for (var j = 0; j < pixels; j++)
            {
                var h = (mask[j] - min) / (max - min);
                for (var c = 0; c < model.Channels; c++)
                {
                    destination[(c * pixels) + j] = image[(c * pixels) + j] * h;
                }
            }
        });

        var computed = Enumerable.Range(0, run.Length).Select(i => scores[i + offset] - (subtractBaseline ? scores[0] : 0)).ToArray();
        return ScoreCamChannels.Fill(inputs.Channels, run, computed, rest, skipped);
    }

    /// <summary>The channels whose upsampled map is not constant: the ones exact Score-CAM runs.</summary>
    public static IReadOnlyList<int> Varying(SaliencyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Varying(inputs, new (float, float)[inputs.Channels]);
    }

    private static int[] Varying(SaliencyInputs inputs, (float Min, float Max)[] ranges)
    {
        var active = new List<int>();
        for (var k = 0; k < inputs.Channels; k++)
        {
            var values = Upsample(inputs, k);
            ranges[k] = (values.Min(), values.Max());
            if (ranges[k].Max > ranges[k].Min)
            {
                active.Add(k);
            }
        }

        return [.. active];
    }

    /// <summary>k of fast mode (the request's, else <see cref="ScoreCamChannels.Default"/>), or null in exact mode.</summary>
    private static int? Kept(SaliencyOptions options, int channels) =>
        options.ScoreCamMode == ScoreCamMode.Fast ? options.ScoreCamChannels ?? ScoreCamChannels.Default(channels) : null;

    private static float[] Upsample(SaliencyInputs inputs, int k) => Resize.Bilinear(
        inputs.Activations.AsSpan(k * inputs.Positions, inputs.Positions), inputs.Height, inputs.Width, inputs.InputHeight, inputs.InputWidth);
}
