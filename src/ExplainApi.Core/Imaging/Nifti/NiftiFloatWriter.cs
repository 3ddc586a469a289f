using System.Buffers.Binary;

namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// Writes a single-file NIfTI-1 (.nii) of float32 voxels (datatype 16, bitpix 32), little-endian: the 348-byte
/// <c>nifti_1_header</c>, a zero extender, the voxels from byte 352 (nifti1.h). Column x runs along dim[1], row y along
/// dim[2], plane z along dim[3], as <see cref="NiftiDecoder"/> reads them back; no scaling (scl_slope 0), no orientation
/// (qform/sform codes 0), pixdim 1 unless given.
/// </summary>
public static class NiftiFloatWriter
{
    private const short Float32 = 16;

    public static byte[] Write(ReadOnlySpan<float> voxels, int width, int height, int depth = 1, float pixelSpacing = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Math.Max(width, Math.Max(height, depth)), short.MaxValue);
        if (voxels.Length != (long)width * height * depth)
        {
            throw new ArgumentException($"Expected {width}x{height}x{depth} voxels, got {voxels.Length}.", nameof(voxels));
        }

        var bytes = new byte[NiftiHeader.MinVoxOffset + (voxels.Length * 4L)];
        var h = bytes.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(h, NiftiHeader.Size);
        short[] dim = [(short)(depth > 1 ? 3 : 2), (short)width, (short)height, (short)depth, 1, 1, 1, 1];
        for (var i = 0; i < dim.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(h[(40 + (2 * i))..], dim[i]);
            BinaryPrimitives.WriteSingleLittleEndian(h[(76 + (4 * i))..], i == 0 ? 1f : pixelSpacing); // pixdim[0] = qfac
        }

        BinaryPrimitives.WriteInt16LittleEndian(h[70..], Float32);
        BinaryPrimitives.WriteInt16LittleEndian(h[72..], 32);
        BinaryPrimitives.WriteSingleLittleEndian(h[108..], NiftiHeader.MinVoxOffset);
        h[123] = 2; // xyzt_units: millimetres
        "n+1\0"u8.CopyTo(h[344..]);
        for (var i = 0; i < voxels.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(h[(NiftiHeader.MinVoxOffset + (4 * i))..], voxels[i]);
        }

        return bytes;
    }
}
