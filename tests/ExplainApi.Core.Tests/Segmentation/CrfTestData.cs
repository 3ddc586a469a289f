using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

/// <summary>Seeded synthetic images and the O(N²) references: the exact Gaussian filter and dense mean field.</summary>
internal static class CrfTestData
{
    /// <summary>A seeded image of a background and rectangles and discs of labels 1…labels−1, each label its own grey (or colour), plus noise.</summary>
    public static (CrfImage Image, int[] Truth) Shapes(int seed, int height, int width, int channels, int labels, float noise = 12, int shapes = 4)
    {
        var random = new Random(seed);
        var truth = new int[height * width];
        for (var s = 0; s < shapes; s++)
        {
            var label = 1 + (s % (labels - 1));
            var (cy, cx) = (random.Next(height), random.Next(width));
            var (ry, rx) = (2 + random.Next(height / 4), 2 + random.Next(width / 4));
            var disc = random.Next(2) == 0;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    double dy = (y - cy) / (double)ry, dx = (x - cx) / (double)rx;
                    if (disc ? (dy * dy) + (dx * dx) <= 1 : Math.Abs(dy) <= 1 && Math.Abs(dx) <= 1)
                    {
                        truth[(y * width) + x] = label;
                    }
                }
            }
        }

        var pixels = new float[height * width * channels];
        for (var i = 0; i < truth.Length; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                var level = 30 + (((truth[i] + c) % labels) * 190 / (labels - 1));
                pixels[(i * channels) + c] = (float)Math.Clamp(level + (noise * Gaussian(random)), 0, 255);
            }
        }

        return (new CrfImage(height, width, channels, pixels), truth);
    }

    /// <summary>(x/θ, y/θ[, I_c/θβ …]) point-major, as DenseCRF2D builds them (θβ null: positions only).</summary>
    public static float[] Features(CrfImage image, float positionTheta, float? intensityTheta)
    {
        var d = 2 + (intensityTheta is null ? 0 : image.Channels);
        var features = new float[image.PixelCount * d];
        for (var i = 0; i < image.PixelCount; i++)
        {
            features[i * d] = (i % image.Width) / positionTheta;
            features[(i * d) + 1] = (i / image.Width) / positionTheta;
            for (var c = 0; c + 2 < d; c++)
            {
                features[(i * d) + 2 + c] = image.Pixels[(i * image.Channels) + c] / intensityTheta!.Value;
            }
        }

        return features;
    }

    /// <summary>Dense mean field with exact kernels: Q ← softmax(−U + Σ_m w_m·D^−½K_mD^−½·Q), U label-major, Q returned point-major.</summary>
    public static double[] MeanField(CrfImage image, float[] unary, int labels, DenseCrfParameters p)
    {
        var n = image.PixelCount;
        var kernels = new List<(double[,] K, float W)>
        {
            (Kernel(Features(image, p.SmoothnessTheta, null), 2), p.SmoothnessWeight),
            (Kernel(Features(image, p.AppearancePositionTheta, p.AppearanceIntensityTheta), 2 + image.Channels), p.AppearanceWeight),
        };
        var q = new double[n * labels];
        var logits = new double[n * labels];
        for (var it = 0; it <= p.Iterations; it++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var c = 0; c < labels; c++)
                {
                    logits[(i * labels) + c] = -unary[(c * n) + i];
                }
            }

            if (it > 0)
            {
                var current = q.Select(v => (float)v).ToArray();
                foreach (var (k, w) in kernels)
                {
                    var message = SymmetricFilter(k, current, labels);
                    for (var e = 0; e < logits.Length; e++)
                    {
                        logits[e] += w * message[e];
                    }
                }
            }

            for (var i = 0; i < n; i++)
            {
                var row = logits.AsSpan(i * labels, labels);
                var max = row.ToArray().Max();
                var sum = 0.0;
                for (var c = 0; c < labels; c++)
                {
                    sum += Math.Exp(row[c] - max);
                }

                for (var c = 0; c < labels; c++)
                {
                    q[(i * labels) + c] = Math.Exp(row[c] - max) / sum;
                }
            }
        }

        return q;
    }

    public static float[] Uniform(int seed, int count, float low = 0, float high = 1)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => low + ((high - low) * random.NextSingle()))];
    }

    /// <summary>Random probabilities, C × N, each pixel summing to 1.</summary>
    public static float[] Probabilities(int seed, int labels, int pixels)
    {
        var p = Uniform(seed, labels * pixels, 0.05f, 1);
        for (var i = 0; i < pixels; i++)
        {
            var sum = 0f;
            for (var c = 0; c < labels; c++)
            {
                sum += p[(c * pixels) + i];
            }

            for (var c = 0; c < labels; c++)
            {
                p[(c * pixels) + i] /= sum;
            }
        }

        return p;
    }

    /// <summary>The exact kernel k_ij = exp(−|f_i − f_j|²/2) (self included, as the lattice's), N × N.</summary>
    public static double[,] Kernel(float[] features, int d)
    {
        var n = features.Length / d;
        var k = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var distance = 0.0;
                for (var a = 0; a < d; a++)
                {
                    var delta = features[(i * d) + a] - features[(j * d) + a];
                    distance += delta * delta;
                }

                k[i, j] = Math.Exp(-distance / 2);
            }
        }

        return k;
    }

    /// <summary>D^−½·K·D^−½·v for point-major v (N × C), D = diag(K·1): pydensecrf's symmetric normalisation.</summary>
    public static double[] SymmetricFilter(double[,] k, ReadOnlySpan<float> values, int channels)
    {
        var n = k.GetLength(0);
        var norm = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                sum += k[i, j];
            }

            norm[i] = 1 / Math.Sqrt(sum + 1e-20);
        }

        var output = new double[n * channels];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var c = 0; c < channels; c++)
                {
                    output[(i * channels) + c] += norm[i] * k[i, j] * norm[j] * values[(j * channels) + c];
                }
            }
        }

        return output;
    }

    /// <summary>The same through the lattice, with the norm from the lattice's own K·1 (as CrfKernel).</summary>
    public static float[] LatticeSymmetricFilter(PermutohedralLattice lattice, float[] values, int channels)
    {
        var n = lattice.PointCount;
        var ones = Enumerable.Repeat(1f, n).ToArray();
        var norm = new float[n];
        lattice.Filter(ones, norm, 1);
        var scaled = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            scaled[i] = values[i] / MathF.Sqrt(norm[i / channels] + 1e-20f);
        }

        var output = new float[values.Length];
        lattice.Filter(scaled, output, channels);
        for (var i = 0; i < values.Length; i++)
        {
            output[i] /= MathF.Sqrt(norm[i / channels] + 1e-20f);
        }

        return output;
    }

    public static double Correlation(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Count; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    public static double RelativeError(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum() / b.Sum(y => y * y));

    /// <summary>Mean IoU over the labels present in truth or prediction (background included).</summary>
    public static double MeanIou(int[] truth, int[] predicted, int labels)
    {
        var ious = new List<double>();
        for (var c = 0; c < labels; c++)
        {
            int intersection = 0, union = 0;
            for (var i = 0; i < truth.Length; i++)
            {
                intersection += truth[i] == c && predicted[i] == c ? 1 : 0;
                union += truth[i] == c || predicted[i] == c ? 1 : 0;
            }

            if (union > 0)
            {
                ious.Add(intersection / (double)union);
            }
        }

        return ious.Average();
    }

    /// <summary>Ground truth shifted by (3, −2) pixels (a misplaced blob boundary), then 20 % of pixels flipped to a random label.</summary>
    public static int[] Corrupt(int[] truth, int labels, int seed, int height, int width)
    {
        var random = new Random(seed);
        var corrupted = new int[truth.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                corrupted[(y * width) + x] = truth[(Math.Clamp(y - 3, 0, height - 1) * width) + Math.Clamp(x + 2, 0, width - 1)];
            }
        }

        for (var i = 0; i < corrupted.Length; i++)
        {
            corrupted[i] = random.NextDouble() < 0.2 ? random.Next(labels) : corrupted[i];
        }

        return corrupted;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
