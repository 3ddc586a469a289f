namespace ExplainApi.Core.Datasets.Brain;

/// <summary>
/// The backward displacement of one axial template slice that makes atrophy: each 4-connected piece of a
/// chosen structure is scaled about its centroid c by its <see cref="AtrophyWeights.Scale"/> a, smoothly:
/// a voxel p of the changed brain shows the healthy brain at p + (1/a − 1)·φ(p)·(p − c), where
/// φ = min(1, 2·b/max b) and b is the piece's indicator blurred by a Gaussian of σ = ½ of its equivalent
/// radius (2–10 voxels). φ is 1 up to the piece's border, so the whole piece, border included, contracts
/// (a &lt; 1) or expands (a &gt; 1) by a; the surroundings follow smoothly and nothing folds up to 40 %, as in deformation-based atrophy simulation (Karaçali &amp; Davatzikos, IEEE TMI 2006).
/// </summary>
internal static class AtrophyField
{
    private const int MinPieceVoxels = 8;

    /// <summary>(u_i, u_j) in voxels on the slice grid (index j·Width + i); all zero at severity 0.</summary>
    public static (float[] Ui, float[] Uj) Compute(BrainTemplate template, int k, double severity, AtrophyRegions chosen)
    {
        var (w, h) = (template.T1.Width, template.T1.Height);
        var (ui, uj) = (new float[w * h], new float[w * h]);
        if (severity <= 0 || k < 0 || k >= template.T1.Depth)
        {
            return (ui, uj);
        }

        foreach (var region in new[] { AtrophyRegions.Hippocampus, AtrophyRegions.Parahippocampal, AtrophyRegions.TemporalLobe, AtrophyRegions.Ventricles })
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
            foreach (var piece in SlicePieces.Find(inside, w, h).Where(p => p.Count >= MinPieceVoxels))
            {
                AddPiece(piece, factor, w, h, ui, uj);
            }
        }

        return (ui, uj);
    }

    private static void AddPiece(List<int> piece, double factor, int w, int h, float[] ui, float[] uj)
    {
        var sigma = Math.Clamp(0.5 * Math.Sqrt(piece.Count / Math.PI), 2, 10);
        var margin = (int)Math.Ceiling(4 * sigma) + 1;
        var (ci, cj) = (piece.Average(v => v % w), piece.Average(v => v / w));
        // Blur only the piece's bounding box plus 4σ: beyond it the Gaussian tail is cut off anyway.
        var (i0, i1) = (Math.Max(0, piece.Min(v => v % w) - margin), Math.Min(w - 1, piece.Max(v => v % w) + margin));
        var (j0, j1) = (Math.Max(0, piece.Min(v => v / w) - margin), Math.Min(h - 1, piece.Max(v => v / w) + margin));
        var (bw, bh) = (i1 - i0 + 1, j1 - j0 + 1);
        var phi = new float[bw * bh];
        foreach (var v in piece)
        {
            phi[(((v / w) - j0) * bw) + (v % w) - i0] = 1f;
        }

        GaussianBlur.Apply(phi, bh, bw, sigma);
        var peak = phi.Max();
        for (var j = j0; j <= j1; j++)
        {
            for (var i = i0; i <= i1; i++)
            {
                var weight = factor * Math.Min(1, 2 * phi[((j - j0) * bw) + i - i0] / peak);
                ui[(j * w) + i] += (float)(weight * (i - ci));
                uj[(j * w) + i] += (float)(weight * (j - cj));
            }
        }
    }
}
