namespace ExplainApi.Core.Saliency;

/// <summary>Gram matrices of a row-major rows×columns matrix X, in double precision, row-major.</summary>
internal static class GramMatrix
{
    /// <summary>X Xᵀ (rows×rows): the dot products of the rows.</summary>
    public static double[] OfRows(double[] x, int rows, int columns)
    {
        var gram = new double[rows * rows];
        for (var a = 0; a < rows; a++)
        {
            for (var b = a; b < rows; b++)
            {
                gram[(a * rows) + b] = DenseMath.Dot(x.AsSpan(a * columns, columns), x.AsSpan(b * columns, columns));
            }
        }

        return Mirror(gram, rows);
    }

    /// <summary>XᵀX (columns×columns): the sum of each row's outer product, read contiguously.</summary>
    public static double[] OfColumns(double[] x, int rows, int columns)
    {
        var gram = new double[columns * columns];
        for (var r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * columns, columns);
            for (var a = 0; a < columns; a++)
            {
                // Row a of the upper triangle: gram[a, b] += x[r, a]·x[r, b] for b ≥ a.
                DenseMath.AddScaled(gram.AsSpan((a * columns) + a, columns - a), row[a], row[a..]);
            }
        }

        return Mirror(gram, columns);
    }

    // Copies the upper triangle into the lower one.
    private static double[] Mirror(double[] gram, int n)
    {
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < a; b++)
            {
                gram[(a * n) + b] = gram[(b * n) + a];
            }
        }

        return gram;
    }
}
