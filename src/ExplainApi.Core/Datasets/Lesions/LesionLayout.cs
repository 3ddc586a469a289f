namespace ExplainApi.Core.Datasets.Lesions;

/// <summary>
/// Which lesions a sample holds and where, drawn before any pixel so labels come cheaply. With probability 7 % the
/// image is empty; otherwise each class independently has none with probability q = 0.18/0.93 and else 1..max
/// uniformly, so each class is absent from about a quarter of the images (max = 3: 0, 1, 2, 3 equally likely) and
/// about 8 % hold no lesion. Lengths are given at 112 px and scale with the image. Each lesion tries up to 40 random
/// positions for one whose skeleton the backdrop allows, centred where it holds lesions and clear of the lesions
/// placed before; failing that, the first allowed position even if it overlaps (later lesions paint over earlier
/// ones); failing that, it is dropped.
/// </summary>
internal static class LesionLayout
{
    private const double EmptyImage = 0.07, ClassAbsent = 0.18 / 0.93, MinPixels = 1.2, Gap = 2;
    private const int Attempts = 40;

    /// <summary>The lesions in painting order: blobs, then streaks, then dots.</summary>
    public static List<Lesion> Draw(SampleRandom random, LesionBackdrop backdrop, int maxPerClass)
    {
        var empty = random.NextDouble() < EmptyImage;
        var counts = new int[3];
        for (var c = 0; c < counts.Length; c++)
        {
            var absent = random.NextDouble() < ClassAbsent;
            counts[c] = empty || absent || maxPerClass == 0 ? 0 : random.NextInt(1, maxPerClass);
        }

        var scale = (double)backdrop.Size / LesionsDataset.ReferenceSize;
        var placed = new List<Lesion>();
        foreach (var kind in new[] { LesionKind.Blob, LesionKind.Thin, LesionKind.Tiny })
        {
            for (var n = 0; n < counts[(int)kind]; n++)
            {
                Lesion? fallback = null;
                for (var attempt = 0; attempt < Attempts; attempt++)
                {
                    var (y, x) = (random.NextDouble() * backdrop.Size, random.NextDouble() * backdrop.Size);
                    var lesion = Shape(kind, y, x, scale, random);
                    if (!Fits(lesion, backdrop))
                    {
                        continue;
                    }

                    fallback ??= lesion;
                    if (placed.TrueForAll(other => Clear(lesion, other)))
                    {
                        fallback = lesion;
                        break;
                    }
                }

                if (fallback is not null)
                {
                    placed.Add(fallback);
                }
            }
        }

        return placed;
    }

    private static Lesion Shape(LesionKind kind, double y, double x, double scale, SampleRandom random)
    {
        double Uniform(double low, double high) => low + ((high - low) * random.NextDouble());
        switch (kind)
        {
            case LesionKind.Blob:
                var a = Uniform(5, 11) * scale;
                return new BlobLesion(y, x, a, a * Uniform(0.6, 1), Uniform(0, Math.PI), Uniform(0, 0.12), Uniform(0, 2 * Math.PI), Uniform(0, 0.12), Uniform(0, 2 * Math.PI));
            case LesionKind.Thin:
                // Chord 18–40 px and a bend up to ±0.35 chord: the arc is about 20–45 px long.
                var chord = Uniform(18, 40) * scale;
                return StreakLesion.Curve(y, x, Uniform(0, 2 * Math.PI), chord, Uniform(-0.35, 0.35) * chord, Math.Max(Uniform(1.5, 3) * scale, MinPixels));
            default:
                return new DotLesion(y, x, Math.Max(Uniform(1.5, 3) * scale, MinPixels));
        }
    }

    private static bool Fits(Lesion lesion, LesionBackdrop backdrop) =>
        backdrop.Holds((int)lesion.Y, (int)lesion.X) && lesion.Skeleton.All(p => backdrop.Allows((int)Math.Round(p.Y), (int)Math.Round(p.X)));

    // Bounding squares (reach about the centre) kept Gap pixels apart: a cheap, conservative test.
    private static bool Clear(Lesion a, Lesion b) =>
        Math.Max(Math.Abs(a.Y - b.Y), Math.Abs(a.X - b.X)) > a.Reach + b.Reach + Gap;
}
