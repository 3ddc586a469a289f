using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// The image-level label set a seed is built from: given with a training image (<see cref="FromMultiHot"/>), or at
/// serving time read off the classifier (<see cref="Predicted"/>).
/// </summary>
public static class ImageLabels
{
    /// <summary>The probability a sigmoid (multi-label) classifier must reach for a class to count as present.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>The classes whose entry of a multi-hot vector (<see cref="Datasets.Sample.Labels"/>) is ≥ 0.5.</summary>
    public static int[] FromMultiHot(ReadOnlySpan<float> labels)
    {
        var result = new List<int>();
        for (var c = 0; c < labels.Length; c++)
        {
            if (labels[c] >= 0.5f)
            {
                result.Add(c);
            }
        }

        return [.. result];
    }

    /// <summary>
    /// From one image's logits. Sigmoid: every class with σ(y_c) ≥ <paramref name="threshold"/>, possibly none (the
    /// seed is then all background). Softmax: the one arg-max class, since a single-label classifier always asserts one.
    /// </summary>
    public static int[] Predicted(ReadOnlySpan<float> logits, OutputActivation activation, double threshold = DefaultThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfZero(logits.Length, nameof(logits));
        if (threshold is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is a probability in [0, 1].");
        }

        if (activation == OutputActivation.Softmax)
        {
            return [Logits.ArgMax(logits)];
        }

        var probabilities = ClassProbabilities.Sigmoid(logits);
        return [.. Enumerable.Range(0, probabilities.Length).Where(c => probabilities[c] >= threshold)];
    }
}
