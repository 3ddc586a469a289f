using ExplainApi.Core.Segmentation;

namespace ExplainApi.Bench;

/// <summary>One CRF configuration with the single-thread C++ reference (METHODS.md §4) where one was measured.</summary>
public sealed record CrfCase(string Name, int Height, int Width, int Channels, int Labels, int Iterations, double? ReferenceLatticeMs, double? ReferenceInferenceMs);

/// <summary>Lattice build and inference times of one case, and the lattices' vertex counts (smoothness, appearance).</summary>
public sealed record CrfTiming(CrfCase Case, LatencySample Lattice, LatencySample Inference, int Threads, int[] Vertices);

/// <summary>
/// The dense CRF (`ExplainApi.Core.Segmentation.DenseCrf`) on seeded synthetic images: building it (both permutohedral
/// lattices and their normalisations) and mean-field inference, timed separately.
/// </summary>
public static class CrfBenchmark
{
    public static IReadOnlyList<CrfCase> Cases { get; } =
    [
        new("512×512 grey, 2 labels", 512, 512, 1, 2, 10, 90, 250),
        new("512×512 grey, 21 labels", 512, 512, 1, 21, 10, null, null),
        new("500×375 colour, 21 labels", 375, 500, 3, 21, 10, 65, 315),
        new("112×112 grey, 3 labels (SSDD's in-training CRF)", 112, 112, 1, 3, 3, null, null),
    ];

    public static IReadOnlyList<CrfTiming> Run(BenchSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var results = new List<CrfTiming>();
        foreach (var c in Cases)
        {
            var (image, labels) = Synthetic(c, seed: 17);
            var unary = CrfUnary.FromLabels(labels, c.Labels, 0.7f);
            var parameters = DenseCrfParameters.Default with { Iterations = c.Iterations };
            DenseCrf? crf = null;
            var lattice = LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, settings.MethodBudget,
                () => crf = new DenseCrf(image, c.Labels, parameters));
            var inference = LatencySample.Measure(settings.MinRepetitions, settings.MaxRepetitions, settings.MethodBudget, () => crf!.Infer(unary));
            var timing = new CrfTiming(c, lattice, inference, Environment.ProcessorCount, [.. crf!.Lattices.Select(l => l.VertexCount)]);
            log.WriteLine($"  {c.Name}: lattice p50 {lattice.Percentile(50):0.0} ms (n={lattice.Count}), inference p50 {inference.Percentile(50):0.0} ms " +
                $"(n={inference.Count}), vertices {string.Join(" / ", timing.Vertices)}");
            results.Add(timing);
        }

        return results;
    }

    /// <summary>
    /// Rectangles and discs of labels 1…C−1 on a background, each label its own intensity (or colour) on a gentle gradient,
    /// plus Gaussian noise (σ = 8 grey levels); the labels with 20 % of pixels flipped at random are the unary's source.
    /// </summary>
    private static (CrfImage Image, int[] Labels) Synthetic(CrfCase c, int seed)
    {
        var random = new Random(seed);
        var truth = new int[c.Height * c.Width];
        for (var s = 0; s < 12; s++)
        {
            var label = 1 + (s % (c.Labels - 1));
            var (cy, cx, ry, rx) = (random.Next(c.Height), random.Next(c.Width), 8 + random.Next(c.Height / 5), 8 + random.Next(c.Width / 5));
            var disc = s % 2 == 0;
            for (var y = Math.Max(0, cy - ry); y < Math.Min(c.Height, cy + ry); y++)
            {
                for (var x = Math.Max(0, cx - rx); x < Math.Min(c.Width, cx + rx); x++)
                {
                    double dy = (y - cy) / (double)ry, dx = (x - cx) / (double)rx;
                    truth[(y * c.Width) + x] = !disc || (dy * dy) + (dx * dx) <= 1 ? label : truth[(y * c.Width) + x];
                }
            }
        }

        var pixels = new float[truth.Length * c.Channels];
        for (var i = 0; i < truth.Length; i++)
        {
            for (var ch = 0; ch < c.Channels; ch++)
            {
                var level = 20 + (((truth[i] * (ch + 1) * 37) + (ch * 60)) % 180) + (40.0 * (i % c.Width) / c.Width);
                var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                pixels[(i * c.Channels) + ch] = (float)Math.Clamp(level + (8 * noise), 0, 255);
            }
        }

        var noisy = truth.Select(l => random.NextDouble() < 0.2 ? random.Next(c.Labels) : l).ToArray();
        return (new CrfImage(c.Height, c.Width, c.Channels, pixels), noisy);
    }
}
