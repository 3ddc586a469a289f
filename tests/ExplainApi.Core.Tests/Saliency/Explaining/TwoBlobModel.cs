using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency.Explaining;

/// <summary>
/// A managed classifier with analytic gradients, so every method runs without native code:
/// x (2×16×16) → 2×2 average pooling P (2×8×8) → 1×1 convolution V + b and ReLU = the target layer A (3×8×8)
/// → global average pooling → linear W + bias → 2 logits. Channel 0 of A sees image channel 0, channel 1 sees
/// image channel 1, channel 2 sees both weakly; class 0 is evidence from A_0 (against A_1), class 1 the
/// reverse. <see cref="Image"/> puts a bright blob in channel 0 top-left and in channel 1 bottom-right, so
/// class 0's evidence lies top-left and class 1's bottom-right. Counts every call and batch.
/// </summary>
internal sealed class TwoBlobModel(
    bool hasGradients = true, bool hasActivations = true, bool hasLinearHead = true, bool hasSeparableHead = true, int maxBatch = 8)
    : IExplainableModel
{
    public const int C = 2, Size = 16, K = 3, Side = 8, Classes = 2;

    // V[k, c], b[k]; W[class, k], bias[class].
    private static readonly float[,] V = { { 1.0f, 0.1f }, { 0.1f, 1.0f }, { 0.3f, 0.3f } };
    private static readonly float[] B = [-0.15f, -0.15f, -0.05f];
    private static readonly float[,] W = { { 2.0f, -1.0f, 0.3f }, { -1.0f, 2.0f, 0.2f } };
    private static readonly float[] Bias = [0.1f, -0.1f];

    public ModelShape Shape => new(C, Size, Size, Classes);

    public string? TargetLayer => hasActivations ? "conv1x1" : null;

    public bool HasActivations => hasActivations;

    public bool HasGradients => hasGradients;

    public bool HasLinearHead => hasLinearHead;

    public bool HasSeparableHead => hasSeparableHead;

    public int MaxBatch => maxBatch;

    public ActivationShape ActivationShape => new(K, Side, Side);

    ActivationShape? IExplainableModel.ActivationShape => ActivationShape;

    public List<int> ForwardBatches { get; } = [];

    public List<int> GradientBatches { get; } = [];

    public List<int> HeadBatches { get; } = [];

    /// <summary>Blob of 1.0 (channel 0 rows/cols 2–6, channel 1 rows/cols 9–13) over seeded noise in [0, 0.1).</summary>
    public static float[] Image(int seed = 1)
    {
        var random = new Random(seed);
        var image = new float[C * Size * Size];
        for (var i = 0; i < image.Length; i++)
        {
            var (c, y, x) = (i / (Size * Size), i / Size % Size, i % Size);
            var (low, high) = c == 0 ? (2, 6) : (9, 13);
            image[i] = (y >= low && y <= high && x >= low && x <= high ? 1f : 0f) + (0.1f * random.NextSingle());
        }

        return image;
    }

    public ForwardPass Forward(float[] inputs, int batch)
    {
        ForwardBatches.Add(batch);
        var activations = new float[batch * ActivationShape.ItemSize];
        for (var n = 0; n < batch; n++)
        {
            Activate(inputs.AsSpan(n * Shape.ItemSize, Shape.ItemSize), activations.AsSpan(n * ActivationShape.ItemSize, ActivationShape.ItemSize), null);
        }

        var logits = Head(activations, batch);
        return hasActivations ? new ForwardPass(logits, activations, ActivationShape) : new ForwardPass(logits, null, null);
    }

    public GradientPass Gradients(float[] inputs, int batch, int[] targets)
    {
        if (!hasGradients)
        {
            throw new NotSupportedException("No backward graph.");
        }

        GradientBatches.Add(batch);
        var (item, a) = (Shape.ItemSize, ActivationShape.ItemSize);
        var activations = new float[batch * a];
        var activationGradients = new float[batch * a];
        var inputGradients = new float[batch * item];
        var active = new bool[a];
        var resolved = new int[batch];
        var logits = new float[batch * Classes];
        for (var n = 0; n < batch; n++)
        {
            var own = activations.AsSpan(n * a, a);
            Activate(inputs.AsSpan(n * item, item), own, active);
            Head(own.ToArray(), 1).CopyTo(logits, n * Classes);
            var c = resolved[n] = targets[n] >= 0 ? targets[n] : (logits[n * Classes] >= logits[(n * Classes) + 1] ? 0 : 1);
            const int positions = Side * Side;
            for (var k = 0; k < K; k++)
            {
                for (var p = 0; p < positions; p++)
                {
                    // ∂y_c/∂A_kp = W[c,k]/(hw); through the ReLU and the 1×1 convolution to P, then /4 to each pooled pixel.
                    var g = W[c, k] / positions;
                    activationGradients[(n * a) + (k * positions) + p] = g;
                    if (!active[(k * positions) + p])
                    {
                        continue;
                    }

                    var (py, px) = (p / Side, p % Side);
                    for (var ch = 0; ch < C; ch++)
                    {
                        for (var d = 0; d < 4; d++)
                        {
                            var (y, x) = ((2 * py) + (d / 2), (2 * px) + (d % 2));
                            inputGradients[(n * item) + (ch * Size * Size) + (y * Size) + x] += g * V[k, ch] / 4;
                        }
                    }
                }
            }
        }

        return new GradientPass(logits, resolved, hasActivations ? activations : null, hasActivations ? activationGradients : null, hasActivations ? ActivationShape : null, inputGradients);
    }

    public float[] HeadWeights(int targetClass) =>
        hasLinearHead ? [.. Enumerable.Range(0, K).Select(k => W[targetClass, k])] : throw new NotSupportedException("Not a linear head.");

    public float[] HeadLogits(float[] activations, int batch)
    {
        if (!hasSeparableHead)
        {
            throw new NotSupportedException("No separable head.");
        }

        HeadBatches.Add(batch);
        return Head(activations, batch);
    }

    /// <summary>y_c of one image, computed directly.</summary>
    public float Logit(float[] image, int targetClass) => Forward(image, 1).Logits[targetClass];

    private static void Activate(ReadOnlySpan<float> x, Span<float> a, bool[]? active)
    {
        const int positions = Side * Side;
        Span<float> pooled = stackalloc float[C];
        for (var p = 0; p < positions; p++)
        {
            var (py, px) = (p / Side, p % Side);
            for (var ch = 0; ch < C; ch++)
            {
                var at = (ch * Size * Size) + (2 * py * Size) + (2 * px);
                pooled[ch] = (x[at] + x[at + 1] + x[at + Size] + x[at + Size + 1]) / 4;
            }

            for (var k = 0; k < K; k++)
            {
                var pre = B[k];
                for (var ch = 0; ch < C; ch++)
                {
                    pre += V[k, ch] * pooled[ch];
                }

                a[(k * positions) + p] = Math.Max(pre, 0f);
                if (active is not null)
                {
                    active[(k * positions) + p] = pre > 0;
                }
            }
        }
    }

    private static float[] Head(float[] activations, int batch)
    {
        const int positions = Side * Side;
        var logits = new float[batch * Classes];
        for (var n = 0; n < batch; n++)
        {
            for (var c = 0; c < Classes; c++)
            {
                var sum = (double)Bias[c];
                for (var k = 0; k < K; k++)
                {
                    var mean = 0.0;
                    for (var p = 0; p < positions; p++)
                    {
                        mean += activations[(n * K * positions) + (k * positions) + p];
                    }

                    sum += W[c, k] * mean / positions;
                }

                logits[(n * Classes) + c] = (float)sum;
            }
        }

        return logits;
    }
}
