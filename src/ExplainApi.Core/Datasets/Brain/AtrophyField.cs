namespace ExplainApi.Core.Datasets.Brain;

/// <summary>
/// The backward displacement of one axial template slice that makes atrophy: each 4-connected piece of a
/// chosen structure is scaled about its centroid c by its <see cref="AtrophyWeights.Scale"/> a, smoothly:
/// a voxel p of the changed brain shows the healthy brain at p + (1/a − 1)·φ(p)·(p − c), where
/// φ = min(1, 2·b/max b) and b is the piece's indicator blurred by a Gaussian (σ of 2–16 voxels, wide enough
/// that the rim does not fold up to severity 30). φ is 1 up to the piece's border, so the whole piece contracts
/// (a &lt; 1) or expands (a &gt; 1) by a and the surroundings follow smoothly, as in deformation-based
/// atrophy simulation (Karaçali &amp; Davatzikos, IEEE TMI 2006).
/// </summary>
public static class AtrophyField
{
    private const int MinPieceVoxels = 8;

    /// <summary>(u_i, u_j) in voxels on the slice grid (index j·Width + i); all zero at severity 0.</summary>
    public static (float[] Ui, float[] Uj) Compute(BrainTemplate template, int k, double severity, AtrophyRegions chosen)
    {
        ArgumentNullException.ThrowIfNull(template);
        var (w, h) = (template.T1.Width, template.T1.Height);
        var pieces = new List<Piece>();
        if (severity > 0 && k >= 0 && k < template.T1.Depth)
        {
            foreach (var region in new[] { AtrophyRegions.Ventricles, AtrophyRegions.TemporalLobe, AtrophyRegions.Parahippocampal, AtrophyRegions.Hippocampus })
            {
                if ((chosen & region) == 0)
                {
                    continue;
                }

                var inside = new bool[w * h];
                for (var v = 0; v < inside.Length; v++)
                {
                    inside[v] = (template.Regions[(k * w * h) + v] & (byte)region) != 0;
                }

                var factor = (1 / AtrophyWeights.Scale(region, severity)) - 1;
                pieces.AddRange(SlicePieces.Find(inside, w, h).Where(p => p.Count >= MinPieceVoxels).Select(p => Piece.Of(p, factor, w)));
            }
        }

        // The pieces' maps are composed, not summed: each is fold-free, so their composition is too, while a
        // sum of neighbouring pieces pulling toward different centres can fold.
        var (ui, uj) = (new float[w * h], new float[w * h]);
        for (var j = 0; j < h; j++)
        {
            for (var i = 0; i < w; i++)
            {
                var (x, y) = ((double)i, (double)j);
                foreach (var piece in pieces)
                {
                    (x, y) = piece.Map(x, y);
                }

                (ui[(j * w) + i], uj[(j * w) + i]) = ((float)(x - i), (float)(y - j));
            }
        }

        return (ui, uj);
    }

    private sealed record Piece(int I0, int J0, int Width, int Height, float[] Phi, double Ci, double Cj, double Factor)
    {
        public static Piece Of(List<int> voxels, double factor, int w)
        {
            var (ci, cj) = (voxels.Average(v => v % w), voxels.Average(v => v / w));
            var reach = Math.Sqrt(voxels.Max(v => Math.Pow((v % w) - ci, 2) + Math.Pow((v / w) - cj, 2)));
            // The ramp of φ is ≈ 0.8/σ steep; a shrinking piece folds its rim unless 1 + f·(1 − 0.8·r/σ) > 0 out to its
            // farthest voxel r, so σ ≥ 1.2·f·r/(1 + f) (1.5× margin); else half the equivalent radius.
            var sigma = Math.Clamp(Math.Max(0.5 * Math.Sqrt(voxels.Count / Math.PI), factor > 0 ? 1.2 * factor * reach / (1 + factor) : 0), 2, 16);
            var margin = (int)Math.Ceiling(4 * sigma) + 1;
            // Only the piece's bounding box plus 4σ is blurred: beyond it the Gaussian tail is cut off anyway.
            // The box may reach past the slice: clipping it would cut φ off at the slice border and fold the map there.
            var (i0, i1) = (voxels.Min(v => v % w) - margin, voxels.Max(v => v % w) + margin);
            var (j0, j1) = (voxels.Min(v => v / w) - margin, voxels.Max(v => v / w) + margin);
            var (bw, bh) = (i1 - i0 + 1, j1 - j0 + 1);
            var phi = new float[bw * bh];
            foreach (var v in voxels)
            {
                phi[(((v / w) - j0) * bw) + (v % w) - i0] = 1f;
            }

            GaussianBlur.Apply(phi, bh, bw, sigma);
            var peak = phi.Max();
            for (var n = 0; n < phi.Length; n++)
            {
                phi[n] = Math.Min(1f, 2 * phi[n] / peak);
            }

            return new Piece(i0, j0, bw, bh, phi, ci, cj, factor);
        }

        public (double X, double Y) Map(double x, double y)
        {
            var (s, t) = (x - I0, y - J0);
            if (s < 0 || t < 0 || s >= Width - 1 || t >= Height - 1)
            {
                return (x, y);
            }

            var (s0, t0) = ((int)s, (int)t);
            var (fs, ft) = (s - s0, t - t0);
            var at = (t0 * Width) + s0;
            var phi = ((1 - ft) * (((1 - fs) * Phi[at]) + (fs * Phi[at + 1]))) + (ft * (((1 - fs) * Phi[at + Width]) + (fs * Phi[at + Width + 1])));
            var weight = Factor * phi;
            return (x + (weight * (x - Ci)), y + (weight * (y - Cj)));
        }
    }
}
