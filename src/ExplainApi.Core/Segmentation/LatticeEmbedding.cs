namespace ExplainApi.Core.Segmentation;

/// <summary>
/// Where a point lands in the permutohedral lattice A*_d (Adams, Baek &amp; Davis 2010, §3–4): its elevation onto the
/// plane x·1 = 0 of ℝ^{d+1}, the remainder-0 lattice point it rounds to, the ordering (rank) of its differential that
/// names the enclosing simplex, and its d+1 barycentric weights. Holds scratch: one instance per thread.
/// </summary>
internal sealed class LatticeEmbedding
{
    private readonly int d;
    private readonly float[] scale;
    private readonly float[] elevated;
    private readonly int[] rem0;
    private readonly int[] rank;
    private readonly float[] weights;

    public LatticeEmbedding(int dimensions)
    {
        d = dimensions;
        // E's diagonal part times the inverse of the blur's standard deviation, √(2/3)·(d+1) (Adams et al. p. 5–6), so
        // that splat–blur–slice approximates exp(−|Δf|²/2) in the caller's σ-scaled units.
        var inverseDeviation = Math.Sqrt(2.0 / 3.0) * (d + 1);
        (elevated, rem0, rank, weights) = (new float[d + 1], new int[d + 1], new int[d + 1], new float[d + 2]);
        scale = new float[d];
        for (var i = 0; i < d; i++)
        {
            scale[i] = (float)(inverseDeviation / Math.Sqrt((i + 2.0) * (i + 1.0)));
        }
    }

    /// <summary>The canonical simplex's vertex <paramref name="remainder"/>, coordinate with rank <paramref name="rank"/>.</summary>
    public static int Canonical(int d, int remainder, int rank) => rank <= d - remainder ? remainder : remainder - (d + 1);

    /// <summary>
    /// Writes the first d coordinates of the remainder-0 point and their ranks (the (d+1)-th follows from x·1 = 0)
    /// and the d+1 barycentric weights of <paramref name="feature"/>.
    /// </summary>
    public void Locate(ReadOnlySpan<float> feature, Span<int> coordinates, Span<byte> ranks, Span<float> barycentric)
    {
        // Scratch as spans over the instance's arrays: one bounds check each, none in the loops below. The comparisons and
        // wrap-arounds are written as arithmetic on 0/1 so the JIT emits no data-dependent branches (their outcomes are
        // random from pixel to pixel and mispredictions cost more than the rest of the point).
        var elevated = this.elevated.AsSpan(0, d + 1);
        var rem0 = this.rem0.AsSpan(0, d + 1);
        var rank = this.rank.AsSpan(0, d + 1);
        var weights = this.weights.AsSpan(0, d + 2);
        var scale = this.scale.AsSpan(0, d);
        feature = feature[..d];

        // Elevate: y = E·f (p. 5).
        var sum = 0f;
        for (var j = d; j > 0; j--)
        {
            var cf = feature[j - 1] * scale[j - 1];
            elevated[j] = sum - (j * cf);
            sum += cf;
        }

        elevated[0] = sum;

        // Nearest remainder-0 point, coordinate by coordinate (multiples of d+1), ties rounding down as permutohedral.cpp.
        var down = 1f / (d + 1);
        var offPlane = 0;
        for (var i = 0; i <= d; i++)
        {
            var v = down * elevated[i];
            var lower = MathF.Floor(v);
            var up = Bit(elevated[i] - (lower * (d + 1)) > ((lower + 1) * (d + 1)) - elevated[i]);
            rem0[i] = ((int)lower + up) * (d + 1);
            offPlane += (int)lower + up;
            rank[i] = 0;
        }

        // Rank the differential's coordinates (the simplex), then bring the point back onto the plane when the rounding left it.
        for (var i = 0; i < d; i++)
        {
            var di = elevated[i] - rem0[i];
            for (var j = i + 1; j <= d; j++)
            {
                var less = Bit(di < elevated[j] - rem0[j]);
                rank[i] += less;
                rank[j] += 1 - less;
            }
        }

        for (var i = 0; i <= d; i++)
        {
            var r = rank[i] + offPlane;
            var wrap = ((d + 1) * Bit(r < 0)) - ((d + 1) * Bit(r > d));
            rank[i] = r + wrap;
            rem0[i] += wrap;
        }

        // Barycentric coordinates (p. 10).
        weights.Clear();
        for (var i = 0; i <= d; i++)
        {
            var v = (elevated[i] - rem0[i]) * down;
            weights[d - rank[i]] += v;
            weights[d - rank[i] + 1] -= v;
        }

        weights[0] += 1f + weights[d + 1];
        weights[..(d + 1)].CopyTo(barycentric);
        for (var i = 0; i < d; i++)
        {
            coordinates[i] = rem0[i];
            ranks[i] = (byte)rank[i];
        }
    }

    private static int Bit(bool value) => System.Runtime.CompilerServices.Unsafe.BitCast<bool, byte>(value);
}
