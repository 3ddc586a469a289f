namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// A NIfTI-1 <c>datatype</c> code with the <c>bitpix</c> it implies. nifti1.h: "Number of bits per voxel
/// value is in bitpix, which MUST correspond with the datatype field."
/// </summary>
internal readonly record struct NiftiDataType(short Code, string Name, int BitPix, bool Supported)
{
    public const short Uint8 = 2, Int16 = 4, Int32 = 8, Float32 = 16, Float64 = 64, Rgb24 = 128;
    public const short Int8 = 256, Uint16 = 512, Uint32 = 768, Int64 = 1024, Uint64 = 1280;

    public int BytesPerVoxel => BitPix / 8;

    /// <summary>DT_RGB24 stores an (r, g, b) byte triple per voxel (nifti1.h: <c>rgb_byte</c>).</summary>
    public int Channels => Code == Rgb24 ? 3 : 1;

    /// <summary>The codes of nifti1.h's NIFTI1_DATATYPES group; null for a code the spec does not define.</summary>
    public static NiftiDataType? FromCode(short code) => code switch
    {
        1 => new(code, "BINARY", 1, false),
        Uint8 => new(code, "UINT8", 8, true),
        Int16 => new(code, "INT16", 16, true),
        Int32 => new(code, "INT32", 32, true),
        Float32 => new(code, "FLOAT32", 32, true),
        32 => new(code, "COMPLEX64", 64, false),
        Float64 => new(code, "FLOAT64", 64, true),
        Rgb24 => new(code, "RGB24", 24, true),
        Int8 => new(code, "INT8", 8, true),
        Uint16 => new(code, "UINT16", 16, true),
        Uint32 => new(code, "UINT32", 32, true),
        Int64 => new(code, "INT64", 64, true),
        Uint64 => new(code, "UINT64", 64, true),
        1536 => new(code, "FLOAT128", 128, false),
        1792 => new(code, "COMPLEX128", 128, false),
        2048 => new(code, "COMPLEX256", 256, false),
        2304 => new(code, "RGBA32", 32, false),
        _ => null,
    };
}
