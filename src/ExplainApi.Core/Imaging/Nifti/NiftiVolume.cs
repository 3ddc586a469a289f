namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// A whole 3-D grey volume (the first along dim[4]) of a single-file NIfTI-1 image, voxels scaled by
/// scl_slope/scl_inter, stored x fastest: index = (k·Height + j)·Width + i. <see cref="VoxelToWorld"/> maps
/// (i, j, k) to world millimetres (<see cref="NiftiAffine"/>). Used for templates (built-in datasets), not requests.
/// </summary>
public sealed class NiftiVolume
{
    private NiftiVolume(int width, int height, int depth, float[] voxels, Affine3 voxelToWorld)
    {
        (Width, Height, Depth, Voxels, VoxelToWorld) = (width, height, depth, voxels, voxelToWorld);
    }

    public int Width { get; }
    public int Height { get; }
    public int Depth { get; }
    public float[] Voxels { get; }
    public Affine3 VoxelToWorld { get; }

    /// <exception cref="ImageDecodeException">Not a NIfTI-1 grey image, truncated, or above <paramref name="limits"/>.</exception>
    public static NiftiVolume Read(ReadOnlyMemory<byte> data, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.CheckBytes(data.Length);
        using var stream = new NiftiByteStream(data);
        var headerBytes = new byte[NiftiHeader.Size];
        var header = NiftiHeader.Parse(headerBytes.AsSpan(0, stream.ReadAtMost(headerBytes)));
        limits.CheckVoxels(header.VoxelCount);
        if (header.DataType.Channels != 1)
        {
            throw new ImageDecodeException(ImageDecodeError.Unsupported, "Only grey NIfTI volumes are read as volumes; this one is RGB.");
        }

        var count = checked((int)(header.SliceVoxels * header.SliceCount));
        var bytes = new byte[checked(count * header.DataType.BytesPerVoxel)];
        if (!stream.SkipTo(header.VoxOffset) || stream.ReadAtMost(bytes) < bytes.Length)
        {
            throw new ImageDecodeException(ImageDecodeError.Truncated, header.TruncatedMessage(stream.Position));
        }

        return new NiftiVolume(header.Width, header.Height, header.SliceCount, NiftiVoxelReader.ToPlanes(bytes, header),
            NiftiAffine.Read(headerBytes, header));
    }

    /// <summary>The voxel at integer (i, j, k), or 0 outside the grid.</summary>
    public float At(int i, int j, int k) =>
        (uint)i < (uint)Width && (uint)j < (uint)Height && (uint)k < (uint)Depth ? Voxels[(((k * Height) + j) * Width) + i] : 0f;
}
