using ExplainApi.Core.Numerics;

namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// Checks on what an <see cref="IExplainableModel"/> returned: a NaN or infinity (or a wrong length) would flow
/// through every method into a meaningless map, so it becomes a <see cref="NonFiniteModelOutputException"/>.
/// </summary>
internal static class ModelOutputs
{
    public static void CheckLogits(float[] logits, int batch, int classes)
    {
        if (logits.Length != (long)batch * classes)
        {
            throw new NonFiniteModelOutputException($"The model returned {logits.Length} logits for {batch} items of {classes} classes.");
        }

        CheckFinite(logits, "logits");
    }

    /// <summary>Logits, activations and both gradients of a batch of <paramref name="batch"/> items.</summary>
    /// <param name="mayOmitInputGradients">True for a pass asked for ∂y_c/∂A only, whose input gradients may be empty.</param>
    public static void Check(GradientPass pass, int batch, ModelShape shape, bool mayOmitInputGradients = false)
    {
        CheckLogits(pass.Logits, batch, shape.Classes);
        var omitted = mayOmitInputGradients && pass.InputGradients.Length == 0;
        if ((!omitted && pass.InputGradients.Length != (long)batch * shape.ItemSize) || pass.Targets.Length != batch)
        {
            throw new NonFiniteModelOutputException($"The model returned {pass.InputGradients.Length} input gradients for {batch} items of {shape.ItemSize} values.");
        }

        CheckFinite(pass.Activations, "activations");
        CheckFinite(pass.ActivationGradients, "gradients of the activations");
        CheckFinite(pass.InputGradients, "input gradients");
    }

    public static void CheckFinite(float[]? values, string what)
    {
        if (values is not null && !FiniteValues.All(values))
        {
            throw new NonFiniteModelOutputException($"The model returned {what} that are not finite.");
        }
    }
}
