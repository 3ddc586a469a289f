namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// The model calls one image costs, counted in items: <see cref="Forward"/> forward passes, <see cref="Gradient"/>
/// forward + backward passes and <see cref="Head"/> passes of the head alone (Ablation-CAM).
/// </summary>
public readonly record struct ModelPasses(double Forward, double Gradient = 0, double Head = 0)
{
    public static ModelPasses None => default;

    /// <summary>The passes in forward-pass equivalents, with <see cref="ExplanationCost"/>'s weights.</summary>
    public double Weighted => Forward + (Gradient * ExplanationCost.GradientPassWeight) + (Head * ExplanationCost.HeadPassWeight);

    public static ModelPasses operator +(ModelPasses left, ModelPasses right) =>
        new(left.Forward + right.Forward, left.Gradient + right.Gradient, left.Head + right.Head);
}
