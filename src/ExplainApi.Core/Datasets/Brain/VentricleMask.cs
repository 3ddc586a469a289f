using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Datasets.Brain;

/// <summary>
/// AAL has no ventricle label, so they are taken from the T1 itself: the largest 6-connected set of
/// CSF-dark voxels (below 0.6 × the median brain intensity) inside the brain mask (T1 &gt; 0, the template
/// is skull-stripped) within a box about the MNI origin (|x| ≤ 25, −40 ≤ y ≤ 30, −5 ≤ z ≤ 30 mm).
/// On Colin27 this is the lateral and third ventricles (≈ 25 ml) with the adjoining cisterns.
/// </summary>
internal static class VentricleMask
{
    public const double DarkFraction = 0.6;

    public static List<int> Find(NiftiVolume t1, double medianBrainIntensity)
    {
        var (w, h, d) = (t1.Width, t1.Height, t1.Depth);
        var threshold = DarkFraction * medianBrainIntensity;
        var candidate = new bool[t1.Voxels.Length];
        for (var k = 0; k < d; k++)
        {
            for (var j = 0; j < h; j++)
            {
                for (var i = 0; i < w; i++)
                {
                    var index = (((k * h) + j) * w) + i;
                    var v = t1.Voxels[index];
                    var (x, y, z) = t1.VoxelToWorld.Apply(i, j, k);
                    candidate[index] = v > 0 && v < threshold && Math.Abs(x) <= 25 && y >= -40 && y <= 30 && z >= -5 && z <= 30;
                }
            }
        }

        var best = new List<int>();
        var queue = new Queue<int>();
        for (var seed = 0; seed < candidate.Length; seed++)
        {
            if (!candidate[seed])
            {
                continue;
            }

            var component = new List<int>();
            candidate[seed] = false;
            queue.Enqueue(seed);
            while (queue.TryDequeue(out var index))
            {
                component.Add(index);
                var (i, j, k) = (index % w, index / w % h, index / (w * h));
                Visit(i > 0, index - 1);
                Visit(i < w - 1, index + 1);
                Visit(j > 0, index - w);
                Visit(j < h - 1, index + w);
                Visit(k > 0, index - (w * h));
                Visit(k < d - 1, index + (w * h));
            }

            best = component.Count > best.Count ? component : best;
        }

        return best;

        void Visit(bool inside, int neighbour)
        {
            if (inside && candidate[neighbour])
            {
                candidate[neighbour] = false;
                queue.Enqueue(neighbour);
            }
        }
    }
}
