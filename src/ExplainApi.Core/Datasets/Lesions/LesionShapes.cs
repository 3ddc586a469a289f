namespace ExplainApi.Core.Datasets.Lesions;

/// <summary>The lesion classes, in <see cref="LesionsDataset.Classes"/> order (segmentation value = kind + 1).</summary>
public enum LesionKind
{
    /// <summary>Roundish, textured, brighter than its surroundings, radius 5–11 px at 112 px.</summary>
    Blob,

    /// <summary>A thin dark curvilinear streak, 1.5–3 px wide and 20–45 px long at 112 px.</summary>
    Thin,

    /// <summary>A small bright dot, radius 1.5–3 px at 112 px.</summary>
    Tiny,
}

/// <summary>
/// One lesion's geometry in pixel coordinates (row y, column x of pixel centres). <see cref="Distance"/> is the
/// signed distance in pixels to its outline (≤ 0 inside: the segmentation); its coverage falls from 1 to 0 across
/// ±<see cref="Softness"/> pixels about the outline, so edges are soft but the mask is exactly "distance ≤ 0".
/// </summary>
internal abstract record Lesion(LesionKind Kind, double Y, double X)
{
    public abstract double Softness { get; }

    /// <summary>How far the lesion reaches from (Y, X), soft edge included.</summary>
    public abstract double Reach { get; }

    /// <summary>Points that must lie where the background allows lesions for the placement to count.</summary>
    public abstract IEnumerable<(double Y, double X)> Skeleton { get; }

    public abstract double Distance(double y, double x);

    /// <summary>Coverage in [0, 1]: a smoothstep of the signed distance, 0.5 on the outline.</summary>
    public float Alpha(double distance)
    {
        var t = Math.Clamp(0.5 - (distance / (2 * Softness)), 0, 1);
        return (float)(t * t * (3 - (2 * t)));
    }
}

/// <summary>An ellipse with semi-axes A ≥ B at angle Theta whose radius wobbles by the 2nd and 3rd harmonics.</summary>
internal sealed record BlobLesion(double Y, double X, double A, double B, double Theta, double H2, double P2, double H3, double P3)
    : Lesion(LesionKind.Blob, Y, X)
{
    public override double Softness => 1.0;
    public override double Reach => (A * (1 + H2 + H3)) + (2 * Softness); // ρ's distance runs slower along the long axis

    public override IEnumerable<(double Y, double X)> Skeleton =>
        Enumerable.Range(0, 9).Select(n => n == 8 ? (Y, X) : (Y + (A * Math.Sin(n * Math.PI / 4)), X + (A * Math.Cos(n * Math.PI / 4))));

    // Normalised radius ρ over the wobbling unit radius, times the mean radius √(AB): about the distance in pixels.
    public override double Distance(double y, double x)
    {
        var (dx, dy) = (x - X, y - Y);
        var (u, v) = (((dx * Math.Cos(Theta)) + (dy * Math.Sin(Theta))) / A, ((dy * Math.Cos(Theta)) - (dx * Math.Sin(Theta))) / B);
        var phi = Math.Atan2(v, u);
        var rho = Math.Sqrt((u * u) + (v * v)) / (1 + (H2 * Math.Cos((2 * phi) + P2)) + (H3 * Math.Cos((3 * phi) + P3)));
        return (rho - 1) * Math.Sqrt(A * B);
    }
}

/// <summary>A tube of width <see cref="Width"/> about a polyline (a sampled quadratic Bézier curve through (Y, X)).</summary>
internal sealed record StreakLesion(double Y, double X, (double Y, double X)[] Points, double Width) : Lesion(LesionKind.Thin, Y, X)
{
    public override double Softness => 0.6;
    public override double Reach => Points.Max(p => Math.Max(Math.Abs(p.Y - Y), Math.Abs(p.X - X))) + (Width / 2) + Softness;
    public override IEnumerable<(double Y, double X)> Skeleton => Points;

    public override double Distance(double y, double x)
    {
        var best = double.MaxValue;
        for (var n = 1; n < Points.Length; n++)
        {
            var ((y0, x0), (y1, x1)) = (Points[n - 1], Points[n]);
            var (ey, ex) = (y1 - y0, x1 - x0);
            var t = Math.Clamp((((y - y0) * ey) + ((x - x0) * ex)) / Math.Max((ey * ey) + (ex * ex), 1e-12), 0, 1);
            var (qy, qx) = (y - (y0 + (t * ey)), x - (x0 + (t * ex)));
            best = Math.Min(best, (qy * qy) + (qx * qx));
        }

        return Math.Sqrt(best) - (Width / 2);
    }

    /// <summary>The curve from chord direction theta, chord length and sideways bend, centred so its midpoint is (y, x).</summary>
    public static StreakLesion Curve(double y, double x, double theta, double chord, double bend, double width)
    {
        var (cy, cx) = (Math.Sin(theta), Math.Cos(theta));
        // B(½) = chord midpoint + bend/2 along the normal (−cx, cy): shift the chord so the curve passes through (y, x).
        var (my, mx) = (y - (bend / 2 * cx), x + (bend / 2 * cy));
        var (p0, p2) = ((my - (chord / 2 * cy), mx - (chord / 2 * cx)), (my + (chord / 2 * cy), mx + (chord / 2 * cx)));
        var p1 = (my + (bend * cx), mx - (bend * cy));
        var count = (int)Math.Ceiling(chord + Math.Abs(bend)) + 1;
        var points = new (double Y, double X)[count];
        for (var n = 0; n < count; n++)
        {
            var t = n / (double)(count - 1);
            var (a, b, c) = ((1 - t) * (1 - t), 2 * t * (1 - t), t * t);
            points[n] = ((a * p0.Item1) + (b * p1.Item1) + (c * p2.Item1), (a * p0.Item2) + (b * p1.Item2) + (c * p2.Item2));
        }

        return new StreakLesion(y, x, points, width);
    }
}

/// <summary>A disc of radius R.</summary>
internal sealed record DotLesion(double Y, double X, double R) : Lesion(LesionKind.Tiny, Y, X)
{
    public override double Softness => 0.6;
    public override double Reach => R + Softness;

    public override IEnumerable<(double Y, double X)> Skeleton =>
        [(Y, X), (Y - R, X), (Y + R, X), (Y, X - R), (Y, X + R)];

    public override double Distance(double y, double x) => Math.Sqrt(((y - Y) * (y - Y)) + ((x - X) * (x - X))) - R;
}
