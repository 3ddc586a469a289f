using System.Buffers.Binary;

namespace ExplainApi.Core.Imaging.Nifti;

/// <summary>
/// The voxel-to-world map of a NIfTI-1 header, by nifti1.h's three methods: sform (srow_x/y/z) when
/// sform_code &gt; 0, else the qform quaternion (Method 2) when qform_code &gt; 0, else pixdim scaling (Method 1).
/// </summary>
internal static class NiftiAffine
{
    public static Affine3 Read(ReadOnlySpan<byte> h, NiftiHeader header)
    {
        var be = header.BigEndian;
        var pix = header.PixDim;
        if (I16(h, 254, be) > 0)
        {
            var rows = new double[12];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = F32(h, 280 + (4 * i), be);
            }

            return new Affine3(rows);
        }

        if (I16(h, 252, be) <= 0)
        {
            return Affine3.Scale(pix[1], pix[2], pix[3]);
        }

        // nifti1.h Method 2: R from the unit quaternion (a, b, c, d), a = √(1 − b² − c² − d²); qfac = pixdim[0] flips k.
        double b = F32(h, 256, be), c = F32(h, 260, be), d = F32(h, 264, be);
        var a = Math.Sqrt(Math.Max(0, 1 - ((b * b) + (c * c) + (d * d))));
        var (sx, sy, sz) = (pix[1], pix[2], (pix[0] < 0 ? -1 : 1) * pix[3]);
        return new Affine3(
        [
            ((a * a) + (b * b) - (c * c) - (d * d)) * sx, 2 * ((b * c) - (a * d)) * sy, 2 * ((b * d) + (a * c)) * sz, F32(h, 268, be),
            2 * ((b * c) + (a * d)) * sx, ((a * a) + (c * c) - (b * b) - (d * d)) * sy, 2 * ((c * d) - (a * b)) * sz, F32(h, 272, be),
            2 * ((b * d) - (a * c)) * sx, 2 * ((c * d) + (a * b)) * sy, ((a * a) + (d * d) - (c * c) - (b * b)) * sz, F32(h, 276, be),
        ]);
    }

    private static short I16(ReadOnlySpan<byte> h, int at, bool be) =>
        be ? BinaryPrimitives.ReadInt16BigEndian(h[at..]) : BinaryPrimitives.ReadInt16LittleEndian(h[at..]);

    private static float F32(ReadOnlySpan<byte> h, int at, bool be) =>
        be ? BinaryPrimitives.ReadSingleBigEndian(h[at..]) : BinaryPrimitives.ReadSingleLittleEndian(h[at..]);
}
