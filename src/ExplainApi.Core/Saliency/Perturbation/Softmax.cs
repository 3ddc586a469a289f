namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>The numerically stable softmax, exp(y_i − max y) / Σ_j exp(y_j − max y), in double.</summary>
public static class Softmax
{
    public static double[] Of(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("Softmax needs at least one logit.", nameof(logits));
        }

        var max = double.NegativeInfinity;
        foreach (var y in logits)
        {
            max = Math.Max(max, y);
        }

        var result = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = Math.Exp(logits[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }
}
