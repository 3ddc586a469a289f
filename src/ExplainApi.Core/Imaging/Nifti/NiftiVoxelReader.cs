using System.Buffers.Binary;

namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// Converts the stored bytes of one slice to planar float32. nifti1.h BYTE ORDERING: "The byte order of
/// the data arrays is presumed to be the same as the byte order of the header"; floats are IEEE-754.
/// </summary>
internal static class NiftiVoxelReader
{
    /// <summary>
    /// Grey types give one plane of <c>raw * scl_slope + scl_inter</c> (computed in double, then rounded to
    /// float); RGB24 gives three planes (r, g, b) of 0..255 from the interleaved triples.
    /// </summary>
    public static float[] ToPlanes(ReadOnlySpan<byte> bytes, NiftiHeader header)
    {
        var type = header.DataType;
        var count = bytes.Length / type.BytesPerVoxel;
        var result = new float[count * type.Channels];
        if (type.Code == NiftiDataType.Rgb24)
        {
            for (var i = 0; i < count; i++)
            {
                result[i] = bytes[3 * i];
                result[count + i] = bytes[(3 * i) + 1];
                result[(2 * count) + i] = bytes[(3 * i) + 2];
            }

            return result;
        }

        var (slope, intercept, be) = (header.Slope, header.Intercept, header.BigEndian);
        var size = type.BytesPerVoxel;
        for (var i = 0; i < count; i++)
        {
            var raw = Read(bytes.Slice(i * size, size), type.Code, be);
            result[i] = (float)((raw * slope) + intercept);
        }

        return result;
    }

    private static double Read(ReadOnlySpan<byte> b, short code, bool be) => code switch
    {
        NiftiDataType.Uint8 => b[0],
        NiftiDataType.Int8 => (sbyte)b[0],
        NiftiDataType.Int16 => be ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        NiftiDataType.Uint16 => be ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        NiftiDataType.Int32 => be ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        NiftiDataType.Uint32 => be ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        NiftiDataType.Int64 => be ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
        NiftiDataType.Uint64 => be ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
        NiftiDataType.Float32 => be ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
        NiftiDataType.Float64 => be ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b),
        _ => throw new InvalidOperationException($"Datatype {code} passed header validation but has no reader."),
    };
}
