namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>Cutting a batched pass into the items of one image or one caller, and joining callers' inputs into one batch.</summary>
internal static class PassSlices
{
    /// <summary>Items [start, start + count) of a forward pass.</summary>
    public static ForwardPass Forward(ForwardPass pass, int start, int count, int classes) =>
        new(Slice(pass.Logits, start, count, classes)!, Slice(pass.Activations, start, count, pass.ActivationShape?.ItemSize ?? 0), pass.ActivationShape);

    /// <summary>Items [start, start + count) of a gradient pass, the resolved targets included.</summary>
    public static GradientPass Gradients(GradientPass pass, int start, int count, ModelShape shape)
    {
        var k = pass.ActivationShape?.ItemSize ?? 0;
        return new GradientPass(
            Slice(pass.Logits, start, count, shape.Classes)!, pass.Targets[start..(start + count)], Slice(pass.Activations, start, count, k),
            Slice(pass.ActivationGradients, start, count, k), pass.ActivationShape,
            pass.InputGradients.Length == 0 ? [] : Slice(pass.InputGradients, start, count, shape.ItemSize)!); // empty: a ∂y/∂A-only pass
    }

    /// <summary>The arrays one after the other.</summary>
    public static T[] Concat<T>(IReadOnlyList<T[]> parts)
    {
        var joined = new T[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(joined, offset);
            offset += part.Length;
        }

        return joined;
    }

    private static float[]? Slice(float[]? values, int start, int count, int itemSize) =>
        values is null || itemSize == 0 ? null : values.AsSpan(start * itemSize, count * itemSize).ToArray();
}
