namespace ExplainApi.Core.Segmentation;

/// <summary>
/// SSDD's difference detector as a stage reads it (Shimoda and Yanai, ICCV 2019, §3.2): per image the logits d_K and d_A
/// [H·W] that knowledge K and advice A are wrong at each pixel, for the batch of images the implementation was made for.
/// </summary>
public interface IDifferenceDetector
{
    /// <param name="knowledge">Per image K, in the stage context's label values (classifier order: 0 background, k = class k − 1).</param>
    /// <param name="advice">Per image A, likewise.</param>
    (float[][] Knowledge, float[][] Advice) Detect(IReadOnlyList<byte[]> knowledge, IReadOnlyList<byte[]> advice);
}

/// <summary>What the ssdd stage needs beyond seeds and CRF: the detector and the biases training integrated with.</summary>
public sealed record SsddDetection(IDifferenceDetector Detector, SsddBiases Biases)
{
    /// <summary>
    /// Static SSDD's refined masks (eq. 4–6, <see cref="SsddIntegration"/>): K the seed, A its CRF, f_c from the image-level
    /// classes the seed was built from, as training computes them from the true labels.
    /// </summary>
    public byte[][] Integrate(IReadOnlyList<byte[]> knowledge, IReadOnlyList<byte[]> advice, IReadOnlyList<IReadOnlyCollection<int>> classes)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(advice);
        ArgumentNullException.ThrowIfNull(classes);
        var (dK, dA) = Detector.Detect(knowledge, advice);
        return [.. knowledge.Select((k, n) =>
        {
            var labels = classes[n].Select(c => c + 1).ToArray();
            var erased = SsddIntegration.ErasedClasses(k, advice[n], labels, Biases.ErasedRatio);
            return SsddIntegration.Integrate(k, advice[n], dK[n], dA[n], erased, Biases);
        })];
    }
}
