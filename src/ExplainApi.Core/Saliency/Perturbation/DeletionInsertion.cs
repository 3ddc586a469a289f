using ExplainApi.Core.Datasets;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>The deletion and insertion curves (softmax_c at 0, 1/64, …, 1 of the pixels changed) and their areas.</summary>
public sealed record DeletionInsertionResult(double DeletionAuc, double InsertionAuc, double[] DeletionCurve, double[] InsertionCurve);

/// <summary>
/// Deletion and insertion (Petsiuk et al., RISE, BMVC 2018, §4.1): pixels (all channels of a position)
/// ordered by decreasing saliency, ties by index; after k = 0..64 steps the first ⌊k·HW/64⌋ of them are
/// replaced by <c>baseline</c> (deletion) or, starting from a blurred copy of the image, restored to the
/// original (insertion). AUC = trapezoid area of softmax_c over x ∈ [0, 1]: lower deletion and higher
/// insertion are better. The blur is <see cref="GaussianBlur"/> per channel with σ = 5 as in the
/// authors' code (which uses an 11-tap kernel and zero padding; ours is truncated at 4σ with reflected
/// edges, so the border is not darkened). Both curves, 130 items, go through one batched stream.
/// </summary>
public static class DeletionInsertion
{
    public const int Steps = 64;

    public static DeletionInsertionResult Compute(
        ForwardContext model, float[] image, ReadOnlySpan<float> saliency, int targetClass, float baseline = 0f, double blurSigma = 5.0)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckImage(image);
        model.CheckClass(targetClass);
        var pixels = model.Pixels;
        if (saliency.Length != pixels)
        {
            throw new ArgumentException($"Expected {model.Height}x{model.Width} saliency values, got {saliency.Length}.", nameof(saliency));
        }

        var order = Order(saliency);
        var blurred = (float[])image.Clone();
        for (var c = 0; c < model.Channels; c++)
        {
            GaussianBlur.Apply(blurred.AsSpan(c * pixels, pixels), model.Height, model.Width, blurSigma);
        }

        // Items 0..64 are the deletion curve, 65..129 the insertion curve.
        var scores = model.TargetProbabilities(2 * (Steps + 1), targetClass, (index, destination) =>
        {
            var deletion = index <= Steps;
            var changed = (int)((long)(deletion ? index : index - Steps - 1) * pixels / Steps);
            (deletion ? image : blurred).CopyTo(destination);
            for (var i = 0; i < changed; i++)
            {
                for (var c = 0; c < model.Channels; c++)
                {
                    var at = (c * pixels) + order[i];
                    destination[at] = deletion ? baseline : image[at];
                }
            }
        });

        var deletionCurve = scores[..(Steps + 1)];
        var insertionCurve = scores[(Steps + 1)..];
        return new DeletionInsertionResult(Auc(deletionCurve), Auc(insertionCurve), deletionCurve, insertionCurve);
    }

    /// <summary>Trapezoid area of equally spaced values over x ∈ [0, 1].</summary>
    public static double Auc(ReadOnlySpan<double> curve)
    {
        if (curve.Length < 2)
        {
            throw new ArgumentException("A curve needs at least two points.", nameof(curve));
        }

        var sum = (curve[0] + curve[^1]) / 2;
        for (var i = 1; i < curve.Length - 1; i++)
        {
            sum += curve[i];
        }

        return sum / (curve.Length - 1);
    }

    // Pixel indices by decreasing saliency; non-finite values last; ties by index, so the order is deterministic.
    private static int[] Order(ReadOnlySpan<float> saliency)
    {
        var keys = new float[saliency.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = float.IsFinite(saliency[i]) ? saliency[i] : float.NegativeInfinity;
        }

        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
        return order;
    }
}
