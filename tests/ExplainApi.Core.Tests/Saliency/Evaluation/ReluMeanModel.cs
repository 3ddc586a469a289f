using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency.Evaluation;

/// <summary>
/// A managed model with answers known by hand: target layer A = ReLU(x) (K = 1, at the input's 8×8), head GAP → linear
/// with y_0 = 0 and y_1 = <see cref="Scale"/>·mean(A). So CAM's and Grad-CAM's maps are ∝ ReLU(x), and on an image that is
/// 1 on a box and 0 elsewhere they equal the box mask. <paramref name="hasGradients"/> false makes it a forward-only model.
/// </summary>
internal sealed class ReluMeanModel(bool hasGradients = true) : IExplainableModel
{
    public const int Size = 8, Pixels = Size * Size;
    public const float Scale = 32f;

    public ModelShape Shape => new(1, Size, Size, 2);

    public string? TargetLayer => "relu";

    public bool HasActivations => true;

    public bool HasGradients => hasGradients;

    public bool HasLinearHead => true;

    public bool HasSeparableHead => true;

    public int MaxBatch => 16;

    public ForwardPass Forward(float[] inputs, int batch)
    {
        var activations = Array.ConvertAll(inputs, v => Math.Max(v, 0f));
        return new ForwardPass(HeadLogits(activations, batch), activations, new ActivationShape(1, Size, Size));
    }

    public GradientPass Gradients(float[] inputs, int batch, int[] targets)
    {
        if (!hasGradients)
        {
            throw new NotSupportedException();
        }

        var pass = Forward(inputs, batch);
        var resolved = targets.Select((t, n) => t >= 0 ? t : pass.Logits[(2 * n) + 1] > pass.Logits[2 * n] ? 1 : 0).ToArray();
        var dA = new float[inputs.Length];
        var dx = new float[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            dA[i] = resolved[i / Pixels] == 1 ? Scale / Pixels : 0f; // ∂(s·mean A)/∂A_ij = s/(h·w)
            dx[i] = inputs[i] > 0 ? dA[i] : 0f;
        }

        return new GradientPass(pass.Logits, resolved, pass.Activations, dA, pass.ActivationShape, dx);
    }

    public float[] HeadWeights(int targetClass) => [targetClass == 1 ? Scale : 0f];

    public float[] HeadLogits(float[] activations, int batch)
    {
        var logits = new float[2 * batch];
        for (var n = 0; n < batch; n++)
        {
            logits[(2 * n) + 1] = Scale * activations.AsSpan(n * Pixels, Pixels).ToArray().Average();
        }

        return logits;
    }
}
