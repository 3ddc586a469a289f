using System.Buffers.Binary;

namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// The fields of the 348-byte <c>nifti_1_header</c> (nifti1.h) that locate and interpret voxels, parsed
/// and validated. Byte offsets are those of the struct; every size product is checked 64-bit arithmetic,
/// so a lying header fails here instead of overflowing later.
/// </summary>
internal sealed class NiftiHeader
{
    /// <summary>nifti1.h: "int sizeof_hdr; MUST be 348".</summary>
    public const int Size = 348;

    /// <summary>nifti1.h: "the earliest start point for the image data is byte #352" (348 + the 4-byte extender).</summary>
    public const int MinVoxOffset = 352;

    private const int Nifti2Size = 540;

    private NiftiHeader(bool bigEndian, int[] dim, NiftiDataType dataType, float[] pixDim, long voxOffset,
        float sclSlope, float sclInter, long voxelCount)
    {
        BigEndian = bigEndian;
        Dim = dim;
        DataType = dataType;
        PixDim = pixDim;
        VoxOffset = voxOffset;
        SclSlope = sclSlope;
        SclInter = sclInter;
        VoxelCount = voxelCount;
        DataEnd = checked(voxOffset + (voxelCount * dataType.BytesPerVoxel));
    }

    public bool BigEndian { get; }

    /// <summary>dim[0..7]; entries above dim[0] are read as 1 (nifti1.h defines only dim[1..dim[0]]).</summary>
    public int[] Dim { get; }

    public NiftiDataType DataType { get; }
    public float[] PixDim { get; }

    /// <summary>nifti1.h: "the voxel data starts at offset (int)vox_offset into the header file".</summary>
    public long VoxOffset { get; }

    public float SclSlope { get; }
    public float SclInter { get; }

    /// <summary>dim[1] * ... * dim[dim[0]].</summary>
    public long VoxelCount { get; }

    /// <summary>nifti1.h: "total number of bytes in the image data is dim[1] * ... * dim[dim[0]] * bitpix / 8", after vox_offset.</summary>
    public long DataEnd { get; }

    public int Width => Dim[1];
    public int Height => Dim[2];
    public int SliceCount => Dim[3];
    public int VolumeCount => Dim[4];
    public long SliceVoxels => (long)Width * Height;

    /// <summary>
    /// nifti1.h DATA SCALING: "If the scl_slope field is nonzero, then each voxel value ... should be scaled as
    /// y = scl_slope * x + scl_inter"; "the scaling is to be ignored if datatype is DT_RGB24". Non-finite
    /// values count as absent, as nifti1_io.c's FIXED_FLOAT does.
    /// </summary>
    public bool HasScaling => SclSlope != 0 && float.IsFinite(SclSlope) && DataType.Code != NiftiDataType.Rgb24;

    public double Slope => HasScaling ? SclSlope : 1;
    public double Intercept => HasScaling && float.IsFinite(SclInter) ? SclInter : 0;

    /// <summary>Byte offset of slice <paramref name="slice"/> (index along dim 3) of volume <paramref name="volume"/> (dim 4); higher dims at index 0.</summary>
    public long SliceOffset(int slice, int volume) =>
        checked(VoxOffset + ((((long)volume * SliceCount) + slice) * SliceVoxels * DataType.BytesPerVoxel));

    public string TruncatedMessage(long available) =>
        $"NIfTI data ends after {available} bytes, but the header needs {DataEnd} (vox_offset {VoxOffset} + "
        + $"{VoxelCount} voxels (dim) x {DataType.BytesPerVoxel} bytes (bitpix {DataType.BitPix})).";

    public static NiftiHeader Parse(ReadOnlySpan<byte> h)
    {
        if (h.Length < 4)
        {
            throw Malformed($"NIfTI header is truncated: {h.Length} of {Size} bytes.");
        }

        // nifti1.h says byte order is found from dim[0]; sizeof_hdr (348 or byte-swapped) tells the same and is checked first.
        var sizeLe = BinaryPrimitives.ReadInt32LittleEndian(h);
        var sizeBe = BinaryPrimitives.ReadInt32BigEndian(h);
        if (sizeLe == Nifti2Size || sizeBe == Nifti2Size)
        {
            throw new ImageDecodeException(ImageDecodeError.Unsupported,
                "NIfTI-2 (sizeof_hdr = 540) is not supported; convert the image to NIfTI-1 (.nii or .nii.gz).");
        }

        if (sizeLe != Size && sizeBe != Size)
        {
            throw Malformed($"NIfTI sizeof_hdr is {sizeLe}; NIfTI-1 requires 348 (in either byte order).");
        }

        if (h.Length < Size)
        {
            throw Malformed($"NIfTI header is truncated: {h.Length} of {Size} bytes.");
        }

        var be = sizeLe != Size;
        CheckMagic(h[344..348]);
        var dim = new int[8];
        dim[0] = I16(h, 40, be);
        if (dim[0] is < 1 or > 7)
        {
            throw Malformed($"NIfTI dim[0] is {dim[0]}; it must be 1..7.");
        }

        for (var i = 1; i < 8; i++)
        {
            dim[i] = i <= dim[0] ? I16(h, 40 + (2 * i), be) : 1;
            if (dim[i] < 1)
            {
                throw Malformed($"NIfTI dim[{i}] is {dim[i]}; dim[1..dim[0]] must be positive.");
            }
        }

        var dataType = ReadDataType(I16(h, 70, be), I16(h, 72, be));
        var pixDim = new float[8];
        for (var i = 0; i < 8; i++)
        {
            pixDim[i] = F32(h, 76 + (4 * i), be);
        }

        var voxOffset = F32(h, 108, be);
        if (!(voxOffset >= MinVoxOffset) || voxOffset > int.MaxValue)
        {
            throw Malformed($"NIfTI vox_offset is {voxOffset}; a single-file NIfTI-1 (n+1) needs 352 <= vox_offset <= 2^31.");
        }

        try
        {
            // Up to 32767^7 voxels: the products are checked, and an overflow is a lying header.
            var voxels = dim.Skip(1).Aggregate(1L, (product, d) => checked(product * d));
            return new NiftiHeader(be, dim, dataType, pixDim, (long)voxOffset, F32(h, 112, be), F32(h, 116, be), voxels);
        }
        catch (OverflowException ex)
        {
            throw new ImageDecodeException(ImageDecodeError.Malformed,
                $"NIfTI dim[1..{dim[0]}] x bitpix/8 + vox_offset overflows a 64-bit byte count.", ex);
        }
    }

    private static void CheckMagic(ReadOnlySpan<byte> magic)
    {
        // nifti1.h: "char magic[4]; MUST be "ni1\0" or "n+1\0"". "ni1" keeps the voxels in a separate .img file.
        if (magic.SequenceEqual("ni1\0"u8))
        {
            throw new ImageDecodeException(ImageDecodeError.Unsupported,
                "NIfTI magic is \"ni1\": a .hdr/.img pair; only single-file .nii or .nii.gz (magic \"n+1\") is supported.");
        }

        if (!magic.SequenceEqual("n+1\0"u8))
        {
            var shown = string.Concat(magic.ToArray().Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}"));
            throw Malformed($"NIfTI magic is \"{shown}\"; expected \"n+1\\0\" (ANALYZE 7.5 headers are not read).");
        }
    }

    private static NiftiDataType ReadDataType(short code, short bitPix)
    {
        var dataType = NiftiDataType.FromCode(code)
            ?? throw Malformed($"NIfTI datatype {code} is not a NIfTI-1 datatype code.");
        if (bitPix != dataType.BitPix)
        {
            throw Malformed($"NIfTI bitpix is {bitPix}, but datatype {code} ({dataType.Name}) requires {dataType.BitPix}.");
        }

        if (!dataType.Supported)
        {
            throw new ImageDecodeException(ImageDecodeError.Unsupported,
                $"NIfTI datatype {code} ({dataType.Name}) is not supported; use an integer, FLOAT32, FLOAT64 or RGB24 image.");
        }

        return dataType;
    }

    private static short I16(ReadOnlySpan<byte> h, int at, bool be) =>
        be ? BinaryPrimitives.ReadInt16BigEndian(h[at..]) : BinaryPrimitives.ReadInt16LittleEndian(h[at..]);

    private static float F32(ReadOnlySpan<byte> h, int at, bool be) =>
        be ? BinaryPrimitives.ReadSingleBigEndian(h[at..]) : BinaryPrimitives.ReadSingleLittleEndian(h[at..]);

    private static ImageDecodeException Malformed(string message) => new(ImageDecodeError.Malformed, message);
}
