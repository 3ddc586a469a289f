namespace ExplainApi.Core.Saliency.Evaluation;

/// <summary>
/// Where a sample's ground truth lies, for 0/1 masks (squares) and signed change maps (brain-atrophy, in the image's
/// [−1, 1] units) alike: a pixel is inside when |mask| exceeds <see cref="Threshold"/>, 5 % of the intensity range, so
/// the faint tails of brain-atrophy's smooth deformation (nonzero on about half the slice) do not count as the lesion.
/// </summary>
public static class GroundTruthRegion
{
    public const float Threshold = 0.1f;

    public static bool Inside(float maskValue) => Math.Abs(maskValue) > Threshold;

    public static bool Any(float[]? mask) => mask is not null && Array.Exists(mask, Inside);
}
