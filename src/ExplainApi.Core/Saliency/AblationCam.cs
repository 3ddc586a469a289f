using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency;

/// <summary>
/// Ablation-CAM (Desai &amp; Ramaswamy, "Ablation-CAM", WACV 2020, eq. 3): w_k = (y_c − y_c^(k)) / |y_c|, the
/// relative drop of the class logit when channel k of the target layer is zeroed, y^(k) from the head alone
/// (<see cref="IExplainableModel.HeadLogits"/>); L = ReLU(Σ_k w_k A_k). The unablated A travels as item 0 of
/// the first batch so y_c and every y_c^(k) come from the same function; the K ablated copies follow in
/// batches of at most <see cref="IExplainableModel.MaxBatch"/>. Deviation: the paper (and pytorch-grad-cam)
/// divide by y_c itself, which assumes y_c &gt; 0; for a class with a negative logit that flips every weight and
/// the map shows the evidence against the class. Dividing by |y_c| keeps "a large drop = an important channel".
/// When y_c = 0 the division is skipped (w_k = y_c − y_c^(k)): only the drop ranks channels.
/// </summary>
public sealed class AblationCam : ISaliencyMethod
{
    public string Name => "ablationcam";

    public SaliencyNeeds Needs => SaliencyNeeds.Activations | SaliencyNeeds.SeparableHead;

    /// <summary>K + 1 passes of the head alone (far cheaper than a forward: see <see cref="ExplanationCost.HeadPassWeight"/>).</summary>
    public ModelPasses Passes(IExplainableModel model, SaliencyOptions options) => new(Forward: 0, Head: ExplanationCost.Channels(model) + 1.0);

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inputs = ExplanationInputs.Cam(context, SaliencyNeeds.Activations);
        var scores = Scores(context.Model, inputs, context.Cancellation);
        var original = scores[0];
        var weights = new double[inputs.Channels];
        for (var k = 0; k < weights.Length; k++)
        {
            var drop = original - scores[k + 1];
            weights[k] = original == 0 ? drop : drop / Math.Abs(original);
        }

        return new FixedWeightCam(Name, weights).Compute(inputs);
    }

    // y_c of A (item 0) and of A with channel k zeroed (item k + 1), in HeadLogits calls of ≤ MaxBatch items;
    // cancellation is checked before each call.
    private static double[] Scores(IExplainableModel model, SaliencyInputs inputs, CancellationToken cancellation)
    {
        var (size, positions, classes) = (inputs.Activations.Length, inputs.Positions, model.Shape.Classes);
        var count = inputs.Channels + 1;
        var scores = new double[count];
        var maxBatch = Math.Max(1, model.MaxBatch);
        for (var start = 0; start < count; start += maxBatch)
        {
            cancellation.ThrowIfCancellationRequested();
            var batch = Math.Min(maxBatch, count - start);
            var items = new float[batch * size];
            for (var b = 0; b < batch; b++)
            {
                var item = items.AsSpan(b * size, size);
                inputs.Activations.CopyTo(item);
                var ablated = start + b - 1;
                if (ablated >= 0)
                {
                    item.Slice(ablated * positions, positions).Clear();
                }
            }

            var logits = model.HeadLogits(items, batch);
            ModelOutputs.CheckLogits(logits, batch, classes);
            for (var b = 0; b < batch; b++)
            {
                scores[start + b] = logits[(b * classes) + inputs.TargetClass];
            }
        }

        return scores;
    }
}
