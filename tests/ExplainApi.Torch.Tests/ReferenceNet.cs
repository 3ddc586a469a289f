namespace ExplainApi.Torch.Tests;

/// <summary>
/// The same network as <see cref="TinyConvNet"/> written out in plain C# doubles, with no libtorch involved,
/// so forward values and gradients can be checked against an independent computation.
/// Loss L = ½ Σ y², summed over the batch.
/// </summary>
internal sealed record ReferenceNet(double[] ConvWeight, double[] ConvBias, double[] FcWeight, double[] FcBias)
{
    private const int Size = 4, Kernel = 3, Out = Size - Kernel + 1, Channels = 2, Classes = 3;

    /// <summary>y[n,k] = B[k] + Σ_m W[k,m]·tanh(z[n,m]), z[n,(c,i,j)] = b[c] + Σ_uv w[c,u,v]·x[n,i+u,j+v].</summary>
    public double[] Forward(double[] input, int batch)
    {
        var output = new double[batch * Classes];
        var hidden = new double[Channels * Out * Out];
        for (var n = 0; n < batch; n++)
        {
            for (var c = 0; c < Channels; c++)
            {
                for (var i = 0; i < Out; i++)
                {
                    for (var j = 0; j < Out; j++)
                    {
                        var z = ConvBias[c];
                        for (var u = 0; u < Kernel; u++)
                        {
                            for (var v = 0; v < Kernel; v++)
                            {
                                z += ConvWeight[(c * Kernel + u) * Kernel + v] * input[(n * Size + i + u) * Size + j + v];
                            }
                        }
                        hidden[(c * Out + i) * Out + j] = Math.Tanh(z);
                    }
                }
            }
            for (var k = 0; k < Classes; k++)
            {
                var y = FcBias[k];
                for (var m = 0; m < hidden.Length; m++)
                {
                    y += FcWeight[k * hidden.Length + m] * hidden[m];
                }
                output[n * Classes + k] = y;
            }
        }
        return output;
    }

    public double Loss(double[] input, int batch) => 0.5 * Forward(input, batch).Sum(y => y * y);

    /// <summary>∂L/∂p for every element of <paramref name="parameter"/> by central differences, O(h²) error.</summary>
    public double[] NumericGradient(double[] parameter, double[] input, int batch, double h = 1e-5)
    {
        var gradient = new double[parameter.Length];
        for (var i = 0; i < parameter.Length; i++)
        {
            var saved = parameter[i];
            parameter[i] = saved + h;
            var plus = Loss(input, batch);
            parameter[i] = saved - h;
            var minus = Loss(input, batch);
            parameter[i] = saved;
            gradient[i] = (plus - minus) / (2 * h);
        }
        return gradient;
    }
}
