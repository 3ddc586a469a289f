namespace ExplainApi.Torch.Training;

/// <summary>
/// DeepLab's "poly" learning-rate policy (Chen et al., TPAMI 2018, §4.1), the schedule the SSDD and PSA segmentation
/// networks train with: factor(t) = (1 − t / T)^0.9 for the 0-based step t of T, so a fixed-length run ends at a small
/// step size and its last epoch is a settled one rather than wherever Adam happened to be.
/// </summary>
public static class PolyDecay
{
    public const double Power = 0.9;

    public static double Factor(long step, long totalSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        return Math.Pow(1 - ((double)Math.Min(step, totalSteps - 1) / totalSteps), Power);
    }
}
