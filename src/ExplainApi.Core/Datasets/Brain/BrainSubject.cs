namespace ExplainApi.Core.Datasets.Brain;

/// <summary>
/// One synthetic subject's nuisance, drawn from its own random stream: the axial level z (mm), a small
/// affine pose (rotation ±6°, per-axis scale ±5 %, shift ±5 mm), a smooth elastic displacement (two 12×12
/// grids of N(0, 1) blurred by σ = 1.5 nodes, rescaled to a 2 mm standard deviation, bilinearly
/// interpolated) and a multiplicative bias field exp(Σ aₙ·Pₙ(u, v)) over the quadratic monomials of the
/// view coordinates (u, v ∈ [−1, 1], aₙ ~ N(0, 0.1²)), the smooth inhomogeneity MR scanners show.
/// </summary>
internal sealed class BrainSubject
{
    private const double MaxRotation = 6 * Math.PI / 180, ScaleJitter = 0.05, MaxShiftMm = 5, ElasticStdMm = 2, BiasStd = 0.1;
    private const int Grid = 12;

    private readonly BrainTemplate _template;
    private readonly double _cos, _sin, _scaleX, _scaleY, _shiftX, _shiftY;
    private readonly float[] _elasticX, _elasticY;
    private readonly double[] _bias = new double[5];

    public BrainSubject(BrainTemplate template, SampleRandom random, double zMinMm, double zMaxMm)
    {
        _template = template;
        ZMm = zMinMm + ((zMaxMm - zMinMm) * random.NextDouble());
        var angle = MaxRotation * ((2 * random.NextDouble()) - 1);
        (_cos, _sin) = (Math.Cos(angle), Math.Sin(angle));
        _scaleX = 1 + (ScaleJitter * ((2 * random.NextDouble()) - 1));
        _scaleY = 1 + (ScaleJitter * ((2 * random.NextDouble()) - 1));
        _shiftX = MaxShiftMm * ((2 * random.NextDouble()) - 1);
        _shiftY = MaxShiftMm * ((2 * random.NextDouble()) - 1);
        _elasticX = SmoothField(random);
        _elasticY = SmoothField(random);
        for (var n = 0; n < _bias.Length; n++)
        {
            _bias[n] = BiasStd * random.NextGaussian();
        }
    }

    /// <summary>The subject's axial level in world millimetres.</summary>
    public double ZMm { get; }

    /// <summary>
    /// The template point (world mm) that output pixel (row, column) of a size×size view shows. Rows run
    /// posterior-ward from the top (anterior up), columns along +x (the subject's left on the image's left).
    /// </summary>
    public (double X, double Y) WorldOf(int row, int column, int size)
    {
        var (u, v) = (((column + 0.5) / size) - 0.5, 0.5 - ((row + 0.5) / size));
        var fov = _template.FieldOfView;
        var (px, py) = (u * fov * _scaleX, v * fov * _scaleY);
        var (ex, ey) = (Bilinear(_elasticX, u + 0.5, 1 - (v + 0.5)), Bilinear(_elasticY, u + 0.5, 1 - (v + 0.5)));
        return (_template.CentreX + (_cos * px) - (_sin * py) + _shiftX + ex, _template.CentreY + (_sin * px) + (_cos * py) + _shiftY + ey);
    }

    /// <summary>The template voxel (continuous i, j, k) that output pixel (row, column) of a size×size view shows.</summary>
    public (double I, double J, double K) VoxelOf(int row, int column, int size)
    {
        var (x, y) = WorldOf(row, column, size);
        return _template.WorldToVoxel.Apply(x, y, ZMm);
    }

    /// <summary>
    /// A magnitude MR value: |s + n₁ + i·n₂| with n₁, n₂ ~ N(0, σ²), Rician distributed (Gudbjartsson &amp; Patz, MRM 1995).
    /// </summary>
    public static float Rician(double signal, double n1, double n2) => (float)Math.Sqrt(((signal + n1) * (signal + n1)) + (n2 * n2));

    /// <summary>The multiplicative bias at output pixel (row, column).</summary>
    public double Bias(int row, int column, int size)
    {
        var (u, v) = ((2 * (column + 0.5) / size) - 1, 1 - (2 * (row + 0.5) / size));
        return Math.Exp((_bias[0] * u) + (_bias[1] * v) + (_bias[2] * u * u) + (_bias[3] * v * v) + (_bias[4] * u * v));
    }

    private static float[] SmoothField(SampleRandom random)
    {
        var field = new float[Grid * Grid];
        for (var n = 0; n < field.Length; n++)
        {
            field[n] = (float)random.NextGaussian();
        }

        GaussianBlur.Apply(field, Grid, Grid, 1.5);
        var std = Math.Sqrt(field.Average(f => (double)f * f) - Math.Pow(field.Average(f => (double)f), 2));
        return Array.ConvertAll(field, f => (float)(f * ElasticStdMm / Math.Max(std, 1e-9)));
    }

    // (s, t) ∈ [0, 1]² across the view; grid node n sits at (n + 0.5) / Grid, clamped at the borders.
    private static double Bilinear(float[] field, double s, double t)
    {
        var (x, y) = (Math.Clamp((s * Grid) - 0.5, 0, Grid - 1), Math.Clamp((t * Grid) - 0.5, 0, Grid - 1));
        var (x0, y0) = (Math.Min((int)x, Grid - 2), Math.Min((int)y, Grid - 2));
        var (fx, fy) = (x - x0, y - y0);
        return ((1 - fy) * (((1 - fx) * field[(y0 * Grid) + x0]) + (fx * field[(y0 * Grid) + x0 + 1])))
            + (fy * (((1 - fx) * field[((y0 + 1) * Grid) + x0]) + (fx * field[((y0 + 1) * Grid) + x0 + 1])));
    }
}
