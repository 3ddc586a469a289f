using System.Buffers.Binary;
using System.IO.Compression;

namespace ExplainApi.Core.Tests.Nifti;

/// <summary>
/// Test-only writer of single-file NIfTI-1 images (nifti1.h byte offsets). Every header field can be set
/// to a lie, so the decoder's validation can be exercised one field at a time.
/// </summary>
internal delegate void WriteVoxel<in T>(Span<byte> destination, T value);

internal sealed record NiftiWriter
{
    public short[] Dim { get; init; } = [3, 4, 3, 2, 1, 1, 1, 1];
    public short DataType { get; init; } = 2;
    public short? BitPix { get; init; }
    public float[] PixDim { get; init; } = [1, 0.5f, 0.75f, 2, 1, 1, 1, 1];
    public float VoxOffset { get; init; } = 352;
    public float SclSlope { get; init; }
    public float SclInter { get; init; }
    public int SizeofHdr { get; init; } = 348;
    public string Magic { get; init; } = "n+1\0";
    public bool BigEndian { get; init; }

    /// <summary>Voxel bytes as stored (already in the file's byte order).</summary>
    public byte[] Voxels { get; init; } = [];

    public static short BitPixOf(short dataType) => dataType switch
    {
        1 => 1,
        2 or 256 => 8,
        4 or 512 => 16,
        8 or 16 or 768 => 32,
        32 or 64 or 1024 or 1280 => 64,
        128 => 24,
        1536 or 1792 => 128,
        _ => 0,
    };

    public byte[] Header()
    {
        var h = new byte[348];
        Int32(h, 0, SizeofHdr);
        for (var i = 0; i < 8; i++)
        {
            Int16(h, 40 + (2 * i), Dim[i]);
            Single(h, 76 + (4 * i), PixDim[i]);
        }

        Int16(h, 70, DataType);
        Int16(h, 72, BitPix ?? BitPixOf(DataType));
        Single(h, 108, VoxOffset);
        Single(h, 112, SclSlope);
        Single(h, 116, SclInter);
        for (var i = 0; i < 4; i++)
        {
            h[344 + i] = (byte)Magic[i];
        }

        return h;
    }

    /// <summary>Header, the 4-byte extender (and padding up to vox_offset), then the voxels.</summary>
    public byte[] ToNii()
    {
        var padding = Math.Max(4, (int)VoxOffset - 348);
        return [.. Header(), .. new byte[padding], .. Voxels];
    }

    public byte[] ToNiiGz() => Gzip(ToNii());

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Stores values written little-endian by <paramref name="write"/>, byte-swapped when the file is big-endian.</summary>
    public byte[] Encode<T>(IReadOnlyList<T> values, int size, WriteVoxel<T> write)
    {
        var bytes = new byte[values.Count * size];
        for (var i = 0; i < values.Count; i++)
        {
            var voxel = bytes.AsSpan(i * size, size);
            write(voxel, values[i]);
            if (BigEndian)
            {
                voxel.Reverse();
            }
        }

        return bytes;
    }

    private void Int16(byte[] h, int at, short v)
    {
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(at), BigEndian ? BinaryPrimitives.ReverseEndianness(v) : v);
    }

    private void Int32(byte[] h, int at, int v)
    {
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(at), BigEndian ? BinaryPrimitives.ReverseEndianness(v) : v);
    }

    private void Single(byte[] h, int at, float v)
    {
        if (BigEndian)
        {
            BinaryPrimitives.WriteSingleBigEndian(h.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteSingleLittleEndian(h.AsSpan(at), v);
        }
    }
}
