namespace ExplainApi.Core.Saliency;

/// <summary>
/// The CAMs that weight each position rather than each channel: L_ij = ReLU(Σ_k f(g_kij) · A_kij).
/// A method supplies f, the per-position gradient weight.
/// </summary>
public abstract class ElementwiseCam : CamMethod
{
    protected abstract double PositionWeight(float gradient);

    protected sealed override double[] LowResolutionMap(SaliencyInputs inputs)
    {
        var map = new double[inputs.Positions];
        for (var k = 0; k < inputs.Channels; k++)
        {
            var activations = Channel(inputs.Activations, inputs, k);
            var gradients = Channel(inputs.Gradients!, inputs, k);
            for (var i = 0; i < map.Length; i++)
            {
                map[i] += PositionWeight(gradients[i]) * activations[i];
            }
        }

        return map;
    }
}
