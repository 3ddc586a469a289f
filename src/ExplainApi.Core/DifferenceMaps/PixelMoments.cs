namespace ExplainApi.Core.DifferenceMaps;

/// <summary>
/// Per-pixel mean and standard deviation of a stream of equally sized maps in one pass (Welford 1962; Knuth, TAOCP
/// vol. 2, §4.2.2): after the n-th map, δ = x − mean, mean += δ/n, M2 += δ·(x − mean). Doubles, so thousands of maps
/// lose no precision; the std is the population one (M2/n, ddof = 0), as <see cref="Saliency.Metrics.MetricSummary"/>.
/// </summary>
public sealed class PixelMoments(int length)
{
    private readonly double[] _mean = new double[length], _m2 = new double[length];

    public int Count { get; private set; }

    public int Length => _mean.Length;

    public void Add(ReadOnlySpan<float> map)
    {
        if (map.Length != _mean.Length)
        {
            throw new ArgumentException($"The map has {map.Length} values; the others have {_mean.Length}.", nameof(map));
        }

        Count++;
        for (var i = 0; i < map.Length; i++)
        {
            var delta = map[i] - _mean[i];
            _mean[i] += delta / Count;
            _m2[i] += delta * (map[i] - _mean[i]);
        }
    }

    public float[] Mean() => Array.ConvertAll(_mean, v => (float)v);

    /// <summary>√(M2/n) per pixel; zeros before any map.</summary>
    public float[] StandardDeviation() => Array.ConvertAll(_m2, v => Count == 0 ? 0f : (float)Math.Sqrt(v / Count));
}
