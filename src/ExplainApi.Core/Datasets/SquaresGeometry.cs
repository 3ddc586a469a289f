namespace ExplainApi.Core.Datasets;

/// <summary>Which corner box a class-1 squares image carries (class 0 has none).</summary>
public enum SquaresSubtype
{
    None,

    /// <summary>Corner box centred at (88, 88) at 112 px.</summary>
    A,

    /// <summary>Corner box centred at (24, 24) at 112 px.</summary>
    B,
}

/// <summary>A square of <see cref="Side"/> pixels whose top-left pixel is (<see cref="Top"/>, <see cref="Left"/>).</summary>
public readonly record struct SquareBox(int Top, int Left, int Side)
{
    public bool Contains(int row, int column) =>
        row >= Top && row < Top + Side && column >= Left && column < Left + Side;
}

/// <summary>
/// The VA-GAN squares layout (METHODS.md §5) at <see cref="Size"/> pixels: at 112 px, 20-px boxes, the
/// central one on rows/columns 46–65, corner boxes centred at 88 (A) or 24 (B), a box centred at c
/// covering c − 10 … c + 9 (as the central box, centred at 56), jitter in [−5, 4] per axis and a
/// smoothing σ of 2.5 px. Other sizes scale every length by Size/112, rounded half away from zero.
/// </summary>
public sealed record SquaresGeometry(int Size, int BoxSide, int CentralStart, int CentreA, int CentreB, int JitterMin, int JitterMax, double Sigma)
{
    public const int ReferenceSize = 112;

    public static SquaresGeometry For(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        var scale = size / (double)ReferenceSize;
        int Scaled(double length) => (int)Math.Round(length * scale, MidpointRounding.AwayFromZero);
        return new SquaresGeometry(size, Math.Max(1, Scaled(20)), Scaled(46), Scaled(88), Scaled(24), Scaled(-5), Scaled(4), 2.5 * scale);
    }

    public SquareBox CentralBox => new(CentralStart, CentralStart, BoxSide);

    /// <summary>The corner box of <paramref name="subtype"/> shifted by the jitter (rows, columns).</summary>
    public SquareBox CornerBox(SquaresSubtype subtype, int rowJitter, int columnJitter)
    {
        var start = (subtype switch
        {
            SquaresSubtype.A => CentreA,
            SquaresSubtype.B => CentreB,
            _ => throw new ArgumentOutOfRangeException(nameof(subtype), subtype, "Class-0 images have no corner box."),
        }) - (BoxSide / 2);
        return new SquareBox(start + rowJitter, start + columnJitter, BoxSide);
    }
}
