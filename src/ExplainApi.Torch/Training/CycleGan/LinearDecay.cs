namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// CycleGAN's learning-rate schedule (Zhu et al., §4; the official lambda_rule): the rate is constant for the first
/// <c>constant</c> steps, then falls linearly over <c>decay</c> steps toward 0: factor(t) = min(1, (T − t) / (decay + 1)),
/// T = constant + decay, t the 0-based step.
/// </summary>
public static class LinearDecay
{
    public static double Factor(long step, int constant, int decay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return step < constant ? 1 : Math.Max(0, (double)(constant + decay - step) / (decay + 1));
    }
}
