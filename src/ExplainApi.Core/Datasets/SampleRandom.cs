using System.Numerics;

namespace ExplainApi.Core.Datasets;

/// <summary>
/// A random stream that depends only on (seed, stream): xoshiro256** (Blackman &amp; Vigna, "Scrambled
/// linear pseudorandom number generators", 2018) with its state filled by SplitMix64 from the key
/// <c>(uint)seed &lt;&lt; 32 | (uint)stream</c>, as the authors recommend. One stream per sample index lets
/// <c>Get(i)</c> build sample i alone, identically in every process; System.Random is not used because
/// its algorithm is not a documented, stable contract. Not thread-safe: make one per use.
/// </summary>
public sealed class SampleRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    public SampleRandom(int seed, int stream)
        : this(((ulong)(uint)seed << 32) | (uint)stream)
    {
    }

    /// <summary>A stream keyed by a whole 64-bit seed (the saliency methods' <c>SaliencyOptions.Seed</c>).</summary>
    public SampleRandom(ulong key)
    {
        _s0 = Datasets.SplitMix64.Step(ref key);
        _s1 = Datasets.SplitMix64.Step(ref key);
        _s2 = Datasets.SplitMix64.Step(ref key);
        _s3 = Datasets.SplitMix64.Step(ref key);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive), by Lemire's multiply-shift (bias below 2⁻⁶⁰).</summary>
    public int NextInt(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        var range = (ulong)((long)max - min + 1);
        return (int)(min + (long)(ulong)(((UInt128)NextUInt64() * range) >> 64));
    }

    /// <summary>Standard normal by the Box–Muller transform (pairs; the second value is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        var u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        _spareGaussian = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }
}
