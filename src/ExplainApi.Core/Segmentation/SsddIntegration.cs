using System.Text.Json.Serialization;

namespace ExplainApi.Core.Segmentation;

/// <summary>
/// Which sign the background and erased-class terms of the integration take. <see cref="Paper"/> is the formula of
/// Shimoda and Yanai (ICCV 2019, §3.3) as METHODS.md §4 writes it: the bias pulls toward the mask that says background
/// or keeps the erased class; <see cref="Flipped"/> inverts both terms, as one place of the released code reads.
/// docs/segmentation.md records which one wins on the lesions data.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SsddSign>))]
public enum SsddSign
{
    [JsonStringEnumMemberName("paper")]
    Paper,
    [JsonStringEnumMemberName("flipped")]
    Flipped,
}

/// <summary>The biases of one integration: b_dd, b_bg, the erased-class threshold and the sign of the bias terms.</summary>
/// <param name="ErasedRatio">A labelled class whose pixels in the advice are fewer than this fraction of those in the knowledge is "erased" (f_c = 1).</param>
public sealed record SsddBiases(double Difference, double Background, double ErasedRatio = 0.5, SsddSign Sign = SsddSign.Paper)
{
    /// <summary>The released code's biases inside a training step (b_dd = 0.4, b_bg = 0).</summary>
    public static SsddBiases Training { get; } = new(0.4, 0);

    /// <summary>The released code's biases for the refined seed that feeds the second stage (b_dd = 0.1, b_bg = 0.1).</summary>
    public static SsddBiases Static { get; } = new(0.1, 0.1);
}

/// <summary>
/// SSDD's integration of knowledge K and advice A (Shimoda and Yanai, ICCV 2019, eq. 4–6): per pixel
/// w = σ(d_K) − σ(d_A) + b_dd − b_bg·[K = bg] + b_bg·[A = bg] − Σ_c f_c·[K = c] + Σ_c f_c·[A = c], and the refined label
/// is A where w ≥ 0, else K. d_K and d_A are the difference detector's logits for the two masks: a high σ(d_K) says K
/// is likely wrong here. Labels: 0 background, k ≥ 1 the classes.
/// </summary>
public static class SsddIntegration
{
    /// <summary>
    /// f_c per label value: 1 for an image-level class (label value ≥ 1 in <paramref name="labels"/>) that the advice shrinks
    /// below <see cref="SsddBiases.ErasedRatio"/> of its knowledge pixels — the CRF erased it, which would lose small lesions.
    /// </summary>
    public static bool[] ErasedClasses(ReadOnlySpan<byte> knowledge, ReadOnlySpan<byte> advice, IEnumerable<int> labels, double erasedRatio)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (knowledge.Length != advice.Length)
        {
            throw new ArgumentException($"Knowledge has {knowledge.Length} pixels, advice {advice.Length}.", nameof(advice));
        }
        var (inKnowledge, inAdvice) = (new int[256], new int[256]);
        for (var p = 0; p < knowledge.Length; p++)
        {
            inKnowledge[knowledge[p]]++;
            inAdvice[advice[p]]++;
        }
        var erased = new bool[256];
        foreach (var label in labels.Where(l => l is > 0 and < 256))
        {
            // max(·, 1) as the released code: a class absent from both is flagged, harmlessly (no pixel holds it).
            erased[label] = inAdvice[label] < erasedRatio * Math.Max(inKnowledge[label], 1);
        }
        return erased;
    }

    /// <summary>
    /// Whether one of the image's own classes (label values) is flagged: the released code leaves such images out of the
    /// detector's loss, since their K ≠ A is the CRF's fault, not the seed's. Flags of classes absent from both masks do not count.
    /// </summary>
    public static bool LostALabel(bool[] erased, IEnumerable<int> labels)
    {
        ArgumentNullException.ThrowIfNull(erased);
        ArgumentNullException.ThrowIfNull(labels);
        return labels.Any(label => label is > 0 and < 256 && erased[label]);
    }

    /// <summary>The refined mask: A where w ≥ 0, else K.</summary>
    /// <param name="knowledgeLogits">d_K per pixel.</param>
    /// <param name="adviceLogits">d_A per pixel.</param>
    /// <param name="erased">f_c by label value (<see cref="ErasedClasses"/>).</param>
    public static byte[] Integrate(
        ReadOnlySpan<byte> knowledge, ReadOnlySpan<byte> advice, ReadOnlySpan<float> knowledgeLogits, ReadOnlySpan<float> adviceLogits, bool[] erased, SsddBiases biases)
    {
        ArgumentNullException.ThrowIfNull(erased);
        ArgumentNullException.ThrowIfNull(biases);
        var n = knowledge.Length;
        if (advice.Length != n || knowledgeLogits.Length != n || adviceLogits.Length != n)
        {
            throw new ArgumentException($"K, A, d_K and d_A must have one value per pixel: {n}, {advice.Length}, {knowledgeLogits.Length}, {adviceLogits.Length}.");
        }
        if (erased.Length < 256)
        {
            throw new ArgumentException("The erased flags must cover every label value (256).", nameof(erased));
        }
        var sign = biases.Sign == SsddSign.Paper ? 1.0 : -1.0;
        var refined = new byte[n];
        for (var p = 0; p < n; p++)
        {
            var (k, a) = (knowledge[p], advice[p]);
            var w = Preference(knowledgeLogits[p], adviceLogits[p]) + biases.Difference;
            w += sign * ((a == 0 ? biases.Background : 0) - (k == 0 ? biases.Background : 0));
            w += sign * ((erased[a] ? 1 : 0) - (erased[k] ? 1 : 0));
            refined[p] = w >= 0 ? a : k;
        }
        return refined;
    }

    /// <summary>The detector's preference for the advice before the biases: σ(d_K) − σ(d_A) ∈ (−1, 1).</summary>
    public static double Preference(float knowledgeLogit, float adviceLogit) => Sigmoid(knowledgeLogit) - Sigmoid(adviceLogit);

    private static double Sigmoid(float x) => 1 / (1 + Math.Exp(-x));
}
