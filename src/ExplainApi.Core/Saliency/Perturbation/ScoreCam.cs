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
/// Through <see cref="ISaliencyMethod"/>, <see cref="SaliencyOptions.ScoreCamSubtractBaseline"/> chooses CIC.
/// </summary>
public sealed class ScoreCam(bool subtractBaseline = false) : ISaliencyMethod
{
    public string Name => "scorecam";

    public SaliencyNeeds Needs => SaliencyNeeds.Activations;

    /// <summary>At most K masked forwards (constant channels are skipped), plus the zero baseline for CIC.</summary>
    public ModelPasses Passes(IExplainableModel model, SaliencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Forward: ExplanationCost.Channels(model) + (options.ScoreCamSubtractBaseline ? 1 : 0));
    }

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inputs = ExplanationInputs.Cam(context, Needs);
        return new ScoreCam(context.Options.ScoreCamSubtractBaseline).Compute(inputs, context.Batches, context.Image);
    }

    public SaliencyMap Compute(SaliencyInputs inputs, ForwardContext model, float[] image)
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
        var active = new List<int>();
        for (var k = 0; k < inputs.Channels; k++)
        {
            ranges[k] = Range(Upsample(inputs, k));
            if (ranges[k].Max > ranges[k].Min)
            {
                active.Add(k);
            }
        }

        var offset = subtractBaseline ? 1 : 0;
        var pixels = model.Pixels;
        var scores = model.TargetProbabilities(active.Count + offset, inputs.TargetClass, (index, destination) =>
        {
            if (index < offset)
            {
                destination.Clear();
                return;
            }

            var k = active[index - offset];
            var mask = Upsample(inputs, k);
            var (min, max) = ranges[k];
            for (var j = 0; j < pixels; j++)
            {
                var h = (mask[j] - min) / (max - min);
                for (var c = 0; c < model.Channels; c++)
                {
                    destination[(c * pixels) + j] = image[(c * pixels) + j] * h;
                }
            }
        });

        var weights = new double[inputs.Channels];
        for (var i = 0; i < active.Count; i++)
        {
            weights[active[i]] = scores[i + offset] - (subtractBaseline ? scores[0] : 0);
        }

        return new FixedWeightCam(Name, weights).Compute(inputs);
    }

    private static float[] Upsample(SaliencyInputs inputs, int k) => Resize.Bilinear(
        inputs.Activations.AsSpan(k * inputs.Positions, inputs.Positions), inputs.Height, inputs.Width, inputs.InputHeight, inputs.InputWidth);

    private static (float Min, float Max) Range(float[] values) => (values.Min(), values.Max());
}
