using System.Buffers.Binary;
using ExplainApi.Core.Datasets.Brain;
using ExplainApi.Core.Tests.Nifti;

namespace ExplainApi.Core.Tests.Datasets;

public sealed class BrainAtrophyTemplateTests
{
    private static readonly BrainTemplate Colin = BrainTemplate.Shared();

    [Fact]
    public void Colin27_and_AAL_load_on_one_1_mm_grid_with_every_structure_present()
    {
        Assert.Equal((181, 217, 181), (Colin.T1.Width, Colin.T1.Height, Colin.T1.Depth));
        Assert.Equal((-90.0, -125.0, -71.0), Colin.T1.VoxelToWorld.Apply(0, 0, 0)); // mricron-data's sform
        Assert.Same(Colin, BrainTemplate.Shared()); // loaded once per process
        int Voxels(AtrophyRegions r) => Colin.Regions.Count(v => (v & (byte)r) != 0);
        Assert.InRange(Voxels(AtrophyRegions.Hippocampus), 10_000, 20_000); // AAL: ≈ 7.5 ml per side
        Assert.InRange(Voxels(AtrophyRegions.Parahippocampal), 10_000, 25_000);
        Assert.InRange(Voxels(AtrophyRegions.TemporalLobe), 150_000, 300_000);
    }

    [Fact]
    public void The_ventricles_are_one_central_CSF_body_of_10_to_60_ml()
    {
        var ventricles = Enumerable.Range(0, Colin.Regions.Length).Where(v => (Colin.Regions[v] & (byte)AtrophyRegions.Ventricles) != 0).ToList();
        Assert.InRange(ventricles.Count, 10_000, 60_000);
        var t1 = Colin.T1;
        Assert.All(ventricles, v => Assert.True(t1.Voxels[v] < 0.6 * Colin.MedianBrainIntensity));
        var meanX = ventricles.Average(v => t1.VoxelToWorld.Apply(v % t1.Width, 0, 0).X);
        Assert.InRange(meanX, -5, 5); // astride the midline
    }

    [Fact]
    public void The_deformation_does_not_fold_at_the_highest_severity()
    {
        var (w, h) = (Colin.T1.Width, Colin.T1.Height);
        var moved = 0;
        // Every slice a reference may ask for (zmin..zmax within ±45 mm of the AC: voxels 26..116).
        for (var k = 71 + BrainAtrophyOptions.MinZ; k <= 71 + BrainAtrophyOptions.MaxZ; k++)
        {
            var (ui, uj) = AtrophyField.Compute(Colin, k, BrainAtrophyOptions.MaxSeverity / 100.0, AtrophyRegions.All);
            moved += ui.Any(v => Math.Abs(v) > 1) ? 1 : 0;
            var (worst, where) = (double.MaxValue, (0, 0));
            for (var j = 1; j < h - 1; j++)
            {
                for (var i = 1; i < w - 1; i++)
                {
                    // det of the Jacobian of p ↦ p + u(p), central differences.
                    var at = (j * w) + i;
                    var (a, b) = (1 + ((ui[at + 1] - ui[at - 1]) / 2), (ui[at + w] - ui[at - w]) / 2);
                    var (c, d) = ((uj[at + 1] - uj[at - 1]) / 2, 1 + ((uj[at + w] - uj[at - w]) / 2));
                    (worst, where) = (a * d) - (b * c) < worst ? ((a * d) - (b * c), (i, j)) : (worst, where);
                }
            }

            Assert.True(worst > 0, $"slice {k}: the map folds (least Jacobian determinant {worst:F3} at {where})");
        }

        Assert.True(moved > 60, $"only {moved} of 91 slices move by more than a voxel");
    }

    [Fact]
    public void An_atlas_on_another_grid_is_resampled_onto_the_T1_grid_through_both_affines()
    {
        var directory = Directory.CreateTempSubdirectory("brain-template-").FullName;
        try
        {
            // T1: 8³ voxels of 100 at world = voxel. Atlas: label 37 (Hippocampus_L) in voxel i = 1 of a grid shifted by +3 mm in x.
            var atlas = new byte[8 * 8 * 8];
            for (var v = 0; v < atlas.Length; v++)
            {
                atlas[v] = (byte)(v % 8 == 1 ? 37 : 0);
            }

            Write(Path.Combine(directory, BrainTemplate.T1File), Enumerable.Repeat((byte)100, 512).ToArray(), shiftX: 0);
            Write(Path.Combine(directory, BrainTemplate.AtlasFile), atlas, shiftX: 3);
            File.WriteAllLines(Path.Combine(directory, BrainTemplate.LabelsFile), ["0 Background 0", "37 Hippocampus_L 4101"]);
            var template = BrainTemplate.Shared(directory);
            for (var i = 0; i < 8; i++)
            {
                // Atlas voxel 1 sits at x = 4 mm, which is T1 voxel 4.
                Assert.Equal(i == 4 ? AtrophyRegions.Hippocampus : AtrophyRegions.None, template.RegionsAt(i, 2, 5));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // A gzipped 8×8×8 UINT8 NIfTI whose sform (code 2) is the identity shifted by shiftX mm.
    private static void Write(string path, byte[] voxels, float shiftX)
    {
        var writer = new NiftiWriter { Dim = [3, 8, 8, 8, 1, 1, 1, 1], PixDim = [1, 1, 1, 1, 1, 1, 1, 1], Voxels = voxels };
        var header = writer.Header();
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(254), 2);
        float[] srow = [1, 0, 0, shiftX, 0, 1, 0, 0, 0, 0, 1, 0];
        for (var n = 0; n < srow.Length; n++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(header.AsSpan(280 + (4 * n)), srow[n]);
        }

        File.WriteAllBytes(path, NiftiWriter.Gzip([.. header, 0, 0, 0, 0, .. voxels]));
    }
}
