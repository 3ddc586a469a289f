using System.Collections.Concurrent;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Imaging.Nifti;

namespace ExplainApi.Core.Datasets.Brain;

/// <summary>
/// The real anatomy brain-atrophy is built from: the Colin27 T1 (Holmes et al., JCAT 1998; mricron-data's
/// skull-stripped <c>ch2bet.nii.gz</c>), the AAL atlas (<c>aal.nii.gz</c> + <c>aal.nii.txt</c>) on the T1's
/// grid (resampled, nearest label, if its grid differs), the structures of <see cref="AtrophyRegions"/> per
/// voxel, and the square field of view that holds the brain in the axial plane. Immutable once loaded.
/// </summary>
public sealed class BrainTemplate
{
    public const string DefaultDirectory = "/usr/share/mricron/templates";
    public const string T1File = "ch2bet.nii.gz", AtlasFile = "aal.nii.gz", LabelsFile = "aal.nii.txt";

    // Parsing 14 MB of volumes costs ~0.5 s: once per process and directory, shared by every dataset.
    private static readonly ConcurrentDictionary<string, Lazy<BrainTemplate>> Cache = new(StringComparer.Ordinal);

    private BrainTemplate(NiftiVolume t1, byte[] regions, double median, double reference)
    {
        T1 = t1;
        Regions = regions;
        WorldToVoxel = t1.VoxelToWorld.Inverse();
        MedianBrainIntensity = median;
        ReferenceIntensity = reference;
        (CentreX, CentreY, FieldOfView) = BrainFieldOfView(t1);
    }

    public NiftiVolume T1 { get; }

    /// <summary><see cref="AtrophyRegions"/> flags per T1 voxel.</summary>
    public byte[] Regions { get; }

    public Affine3 WorldToVoxel { get; }
    public double MedianBrainIntensity { get; }

    /// <summary>The 99th percentile of brain intensities: the scale noise is given in per cent of.</summary>
    public double ReferenceIntensity { get; }

    public double CentreX { get; }
    public double CentreY { get; }

    /// <summary>Side in mm of the square axial view: 1.1 × the brain's larger in-plane extent.</summary>
    public double FieldOfView { get; }

    /// <summary>The template in <paramref name="directory"/>, loaded once per process.</summary>
    /// <param name="generator">The generator that needs it, named in the error when mricron-data is missing.</param>
    /// <exception cref="DatasetReferenceException">mricron-data is not installed, or its files do not read.</exception>
    public static BrainTemplate Shared(string directory = DefaultDirectory, string generator = BrainAtrophyDataset.GeneratorName)
    {
        var key = Path.GetFullPath(directory);
        if (Cache.TryGetValue(key, out var loaded) && loaded.IsValueCreated)
        {
            return loaded.Value;
        }

        var missing = new[] { T1File, AtlasFile, LabelsFile }.Where(f => !File.Exists(Path.Combine(directory, f))).ToList();
        if (missing.Count > 0)
        {
            throw new DatasetReferenceException(
                $"synthetic:{generator} needs the Colin27 brain and the AAL atlas of Debian's mricron-data, but {string.Join(", ", missing)} "
                + $"is missing from {directory}: install it with 'apt-get install mricron-data' (or scripts/install-os-packages.sh run).");
        }

        return Cache.GetOrAdd(key, d => new Lazy<BrainTemplate>(() => Load(d))).Value;
    }

    private static BrainTemplate Load(string directory)
    {
        try
        {
            var t1 = NiftiVolume.Read(File.ReadAllBytes(Path.Combine(directory, T1File)), ImageLimits.Default);
            var atlas = NiftiVolume.Read(File.ReadAllBytes(Path.Combine(directory, AtlasFile)), ImageLimits.Default);
            var labels = AtlasResampling.OnGridOf(t1, atlas);
            var byLabel = AalLabels.RegionsByLabel(AalLabels.Parse(File.ReadLines(Path.Combine(directory, LabelsFile))));
            var regions = new byte[labels.Length];
            for (var v = 0; v < labels.Length; v++)
            {
                regions[v] = labels[v] < byLabel.Length ? (byte)byLabel[labels[v]] : (byte)0;
            }

            var brain = t1.Voxels.Where(v => v > 0).ToArray();
            Array.Sort(brain);
            var (median, reference) = (brain[brain.Length / 2], brain[(int)(0.99 * (brain.Length - 1))]);
            foreach (var v in VentricleMask.Find(t1, median))
            {
                regions[v] |= (byte)AtrophyRegions.Ventricles;
            }

            return new BrainTemplate(t1, regions, median, reference);
        }
        catch (ImageDecodeException ex)
        {
            throw new DatasetReferenceException($"The mricron-data templates in {directory} (for synthetic:brain-atrophy and synthetic:lesions) do not read: {ex.Message}", ex);
        }
    }

    /// <summary>Trilinear T1 intensity at continuous voxel coordinates (0 outside the grid).</summary>
    public float SampleT1(double i, double j, double k)
    {
        var (i0, j0, k0) = ((int)Math.Floor(i), (int)Math.Floor(j), (int)Math.Floor(k));
        var (fi, fj, fk) = ((float)(i - i0), (float)(j - j0), (float)(k - k0));
        float Plane(int kk) =>
            ((1 - fj) * (((1 - fi) * T1.At(i0, j0, kk)) + (fi * T1.At(i0 + 1, j0, kk))))
            + (fj * (((1 - fi) * T1.At(i0, j0 + 1, kk)) + (fi * T1.At(i0 + 1, j0 + 1, kk))));
        return ((1 - fk) * Plane(k0)) + (fk * Plane(k0 + 1));
    }

    /// <summary>The structures at the voxel nearest to (i, j, k).</summary>
    public AtrophyRegions RegionsAt(double i, double j, double k)
    {
        var (ii, jj, kk) = ((int)Math.Round(i), (int)Math.Round(j), (int)Math.Round(k));
        return (uint)ii < (uint)T1.Width && (uint)jj < (uint)T1.Height && (uint)kk < (uint)T1.Depth
            ? (AtrophyRegions)Regions[(((kk * T1.Height) + jj) * T1.Width) + ii]
            : AtrophyRegions.None;
    }

    private static (double X, double Y, double Side) BrainFieldOfView(NiftiVolume t1)
    {
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        for (var v = 0; v < t1.Voxels.Length; v++)
        {
            if (t1.Voxels[v] > 0)
            {
                var (x, y, _) = t1.VoxelToWorld.Apply(v % t1.Width, v / t1.Width % t1.Height, v / (t1.Width * t1.Height));
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
            }
        }

        return ((minX + maxX) / 2, (minY + maxY) / 2, 1.1 * Math.Max(maxX - minX, maxY - minY));
    }
}
