namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>Reading a classifier's logits.</summary>
public static class Logits
{
    /// <summary>The index of the first maximum (as torch.argmax): the predicted class.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
