using ExplainApi.Core.Models;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>One item's class probabilities under the classifier's <see cref="OutputActivation"/>, in double.</summary>
public static class ClassProbabilities
{
    public static double[] Of(ReadOnlySpan<float> logits, OutputActivation activation) =>
        activation == OutputActivation.Sigmoid ? Sigmoid(logits) : Softmax.Of(logits);

    /// <summary>σ(y) = 1 / (1 + e^−y) per class, written as e^y / (1 + e^y) for y &lt; 0 so that e^−y never overflows.</summary>
    public static double[] Sigmoid(ReadOnlySpan<float> logits)
    {
        var result = new double[logits.Length];
        for (var i = 0; i < logits.Length; i++)
        {
            double y = logits[i];
            result[i] = y >= 0 ? 1 / (1 + Math.Exp(-y)) : Math.Exp(y) / (1 + Math.Exp(y));
        }

        return result;
    }
}
