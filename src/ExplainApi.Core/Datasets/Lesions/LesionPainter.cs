namespace ExplainApi.Core.Datasets.Lesions;

/// <summary>
/// Paints lesions in order, each over the ones before: the segmentation takes the lesion's class + 1 where its
/// distance is ≤ 0, and the clean image blends toward the lesion's intensity by its coverage α,
/// v ← (1 − α)·v + α·(level + texture·t), lesions replacing the tissue they lie on. Both are clipped to the
/// pixels the backdrop allows. Labels are then read off the final segmentation, so a class whose lesions were
/// all painted over is not labelled.
/// </summary>
internal static class LesionPainter
{
    /// <param name="image">The clean image to paint, or null to make only the segmentation.</param>
    /// <param name="texture">Smooth zero-mean texture, unit standard deviation, modulating blobs (with <paramref name="image"/>).</param>
    public static byte[] Paint(IReadOnlyList<Lesion> lesions, LesionBackdrop backdrop, float[]? image, float[]? texture)
    {
        var size = backdrop.Size;
        var segmentation = new byte[size * size];
        foreach (var lesion in lesions)
        {
            var (level, amplitude) = image is null ? default : backdrop.Appearance(lesion.Kind);
            var reach = (int)Math.Ceiling(lesion.Reach) + 1;
            var (top, bottom) = (Math.Max(0, (int)lesion.Y - reach), Math.Min(size - 1, (int)lesion.Y + reach));
            var (left, right) = (Math.Max(0, (int)lesion.X - reach), Math.Min(size - 1, (int)lesion.X + reach));
            for (var row = top; row <= bottom; row++)
            {
                for (var column = left; column <= right; column++)
                {
                    var distance = lesion.Distance(row, column);
                    if (distance >= lesion.Softness || !backdrop.Allows(row, column))
                    {
                        continue;
                    }

                    var p = (row * size) + column;
                    if (distance <= 0)
                    {
                        segmentation[p] = (byte)(lesion.Kind + 1);
                    }

                    if (image is not null)
                    {
                        var alpha = lesion.Alpha(distance);
                        var value = level + (amplitude * (texture?[p] ?? 0f));
                        image[p] = ((1 - alpha) * image[p]) + (alpha * value);
                    }
                }
            }
        }

        return segmentation;
    }

    /// <summary>1 for each class with at least one pixel in <paramref name="segmentation"/>, else 0.</summary>
    public static float[] Labels(byte[] segmentation, int classes)
    {
        var labels = new float[classes];
        foreach (var value in segmentation)
        {
            if (value > 0)
            {
                labels[value - 1] = 1f;
            }
        }

        return labels;
    }
}
