namespace ExplainApi.Core.Imaging;

/// <summary>
/// A 3-D affine map p ↦ M·p + t, stored as the three rows (m00 m01 m02 t0; …) of a 4×4 matrix whose last
/// row is (0 0 0 1): NIfTI's voxel-to-world transform (nifti1.h srow_x, srow_y, srow_z).
/// </summary>
public sealed record Affine3(double[] Rows)
{
    public static Affine3 Scale(double sx, double sy, double sz) => new([sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, sz, 0]);

    public (double X, double Y, double Z) Apply(double x, double y, double z)
    {
        var r = Rows;
        return ((r[0] * x) + (r[1] * y) + (r[2] * z) + r[3],
                (r[4] * x) + (r[5] * y) + (r[6] * z) + r[7],
                (r[8] * x) + (r[9] * y) + (r[10] * z) + r[11]);
    }

    /// <summary>The inverse map, by the adjugate of the 3×3 part; throws when it is singular.</summary>
    public Affine3 Inverse()
    {
        var r = Rows;
        var (a, b, c, d, e, f, g, h, i) = (r[0], r[1], r[2], r[4], r[5], r[6], r[8], r[9], r[10]);
        var det = (a * ((e * i) - (f * h))) - (b * ((d * i) - (f * g))) + (c * ((d * h) - (e * g)));
        if (Math.Abs(det) < 1e-12)
        {
            throw new InvalidOperationException("The affine map is singular and has no inverse.");
        }

        double[] m =
        [
            ((e * i) - (f * h)) / det, ((c * h) - (b * i)) / det, ((b * f) - (c * e)) / det,
            ((f * g) - (d * i)) / det, ((a * i) - (c * g)) / det, ((c * d) - (a * f)) / det,
            ((d * h) - (e * g)) / det, ((b * g) - (a * h)) / det, ((a * e) - (b * d)) / det,
        ];
        var (tx, ty, tz) = (r[3], r[7], r[11]);
        return new Affine3(
        [
            m[0], m[1], m[2], -((m[0] * tx) + (m[1] * ty) + (m[2] * tz)),
            m[3], m[4], m[5], -((m[3] * tx) + (m[4] * ty) + (m[5] * tz)),
            m[6], m[7], m[8], -((m[6] * tx) + (m[7] * ty) + (m[8] * tz)),
        ]);
    }

    /// <summary>True when every coefficient differs by at most <paramref name="tolerance"/>.</summary>
    public bool ApproximatelyEquals(Affine3 other, double tolerance) =>
        other is not null && Rows.Zip(other.Rows).All(p => Math.Abs(p.First - p.Second) <= tolerance);
}
