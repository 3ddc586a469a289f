namespace ExplainApi.Core.Rendering;

/// <summary>
/// Moreland's smooth cool-warm diverging map, computed with the algorithm of K. Moreland, "Diverging
/// Color Maps for Scientific Visualization", ISVC 2009 (section 5 and the appendix): the end colours
/// are converted sRGB -> CIELAB (D65) -> Msh (polar Lab: M = |Lab|, s = acos(L/M), h = atan2(b, a)),
/// interpolated linearly in Msh through an unsaturated white of M = max(M1, M2, 88) because the hues
/// are more than 60 degrees apart, and converted back. Computed rather than tabulated so the one
/// constant is the paper's pair of end points, RGB (59, 76, 192) and (180, 4, 38).
/// </summary>
internal static class MorelandCoolWarm
{
    // CIE XYZ of the D65 white point, as in the paper's reference code.
    private const double Xn = 0.9505, Yn = 1.0, Zn = 1.089;

    public static byte[] Build(int entries)
    {
        var cool = ToMsh(59, 76, 192);
        var warm = ToMsh(180, 4, 38);
        var table = new byte[entries * 3];
        for (var i = 0; i < entries; i++)
        {
            var (r, g, b) = FromMsh(Interpolate(cool, warm, i / (double)(entries - 1)));
            table[3 * i] = r;
            table[(3 * i) + 1] = g;
            table[(3 * i) + 2] = b;
        }

        return table;
    }

    private static (double M, double S, double H) Interpolate((double M, double S, double H) c1, (double M, double S, double H) c2, double t)
    {
        // Saturated end points with distant hues: pass through white, re-parameterising t per half.
        if (c1.S > 0.05 && c2.S > 0.05 && Math.Abs(c1.H - c2.H) > Math.PI / 3)
        {
            var mid = Math.Max(Math.Max(c1.M, c2.M), 88.0);
            if (t < 0.5)
            {
                (c2, t) = ((mid, 0, 0), 2 * t);
            }
            else
            {
                (c1, t) = ((mid, 0, 0), (2 * t) - 1);
            }
        }

        // An unsaturated end takes a hue that spins away from the saturated one, so the curve stays smooth.
        if (c1.S < 0.05 && c2.S > 0.05)
        {
            c1.H = AdjustHue(c2, c1.M);
        }
        else if (c2.S < 0.05 && c1.S > 0.05)
        {
            c2.H = AdjustHue(c1, c2.M);
        }

        return (((1 - t) * c1.M) + (t * c2.M), ((1 - t) * c1.S) + (t * c2.S), ((1 - t) * c1.H) + (t * c2.H));
    }

    private static double AdjustHue((double M, double S, double H) saturated, double unsaturatedM)
    {
        if (saturated.M >= unsaturatedM)
        {
            return saturated.H;
        }

        var spin = saturated.S * Math.Sqrt((unsaturatedM * unsaturatedM) - (saturated.M * saturated.M))
            / (saturated.M * Math.Sin(saturated.S));
        return saturated.H > -Math.PI / 3 ? saturated.H + spin : saturated.H - spin;
    }

    private static (double M, double S, double H) ToMsh(byte r, byte g, byte b)
    {
        // sRGB (IEC 61966-2-1) to linear, then to XYZ with the sRGB primaries.
        var (lr, lg, lb) = (ToLinear(r / 255.0), ToLinear(g / 255.0), ToLinear(b / 255.0));
        var x = (0.4124 * lr) + (0.3576 * lg) + (0.1805 * lb);
        var y = (0.2126 * lr) + (0.7152 * lg) + (0.0722 * lb);
        var z = (0.0193 * lr) + (0.1192 * lg) + (0.9505 * lb);
        var (fx, fy, fz) = (LabF(x / Xn), LabF(y / Yn), LabF(z / Zn));
        var (l, a, bb) = ((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));
        var m = Math.Sqrt((l * l) + (a * a) + (bb * bb));
        return (m, Math.Acos(l / m), Math.Atan2(bb, a));
    }

    private static (byte R, byte G, byte B) FromMsh((double M, double S, double H) c)
    {
        var l = c.M * Math.Cos(c.S);
        var a = c.M * Math.Sin(c.S) * Math.Cos(c.H);
        var bb = c.M * Math.Sin(c.S) * Math.Sin(c.H);
        var fy = (l + 16) / 116;
        var (x, y, z) = (Xn * LabFInverse(fy + (a / 500)), Yn * LabFInverse(fy), Zn * LabFInverse(fy - (bb / 200)));
        var lr = (3.2406 * x) - (1.5372 * y) - (0.4986 * z);
        var lg = (-0.9689 * x) + (1.8758 * y) + (0.0415 * z);
        var lb = (0.0557 * x) - (0.2040 * y) + (1.0570 * z);
        return (ToByte(lr), ToByte(lg), ToByte(lb));
    }

    private static double ToLinear(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);

    private static byte ToByte(double linear)
    {
        var v = linear <= 0.0031308 ? 12.92 * linear : (1.055 * Math.Pow(linear, 1 / 2.4)) - 0.055;
        return (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
    }

    // CIELAB's f(t) and its inverse (CIE 15:2004), linear below (6/29)^3 to avoid an infinite slope.
    private static double LabF(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (t * 841.0 / 108) + (4.0 / 29);

    private static double LabFInverse(double f) => f > 6.0 / 29 ? f * f * f : (f - (4.0 / 29)) * 108.0 / 841;
}
