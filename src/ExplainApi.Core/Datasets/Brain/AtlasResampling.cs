using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Datasets.Brain;

/// <summary>Puts an atlas's labels on a reference volume's voxel grid through both voxel-to-world maps.</summary>
internal static class AtlasResampling
{
    /// <summary>Two grids are the same when their sizes match and their affines agree within 1 µm.</summary>
    public static bool SameGrid(NiftiVolume a, NiftiVolume b) =>
        a.Width == b.Width && a.Height == b.Height && a.Depth == b.Depth && a.VoxelToWorld.ApproximatelyEquals(b.VoxelToWorld, 1e-3);

    /// <summary>The atlas labels on <paramref name="reference"/>'s grid: as stored when the grids match, else nearest neighbour (labels must not blend).</summary>
    public static int[] OnGridOf(NiftiVolume reference, NiftiVolume atlas)
    {
        if (SameGrid(reference, atlas))
        {
            return Array.ConvertAll(atlas.Voxels, v => (int)Math.Round(v));
        }

        var toAtlas = atlas.VoxelToWorld.Inverse();
        var labels = new int[reference.Voxels.Length];
        for (var k = 0; k < reference.Depth; k++)
        {
            for (var j = 0; j < reference.Height; j++)
            {
                for (var i = 0; i < reference.Width; i++)
                {
                    var (x, y, z) = reference.VoxelToWorld.Apply(i, j, k);
                    var (ai, aj, ak) = toAtlas.Apply(x, y, z);
                    labels[(((k * reference.Height) + j) * reference.Width) + i] =
                        (int)Math.Round(atlas.At((int)Math.Round(ai), (int)Math.Round(aj), (int)Math.Round(ak)));
                }
            }
        }

        return labels;
    }
}
