using static ExplainApi.Bench.BenchReport;

namespace ExplainApi.Bench;

/// <summary>The table of docs/benchmarks-crf.md: the dense CRF's lattice and inference times beside the C++ reference.</summary>
public static class CrfTables
{
    public const string Introduction =
        "The fully connected CRF (Krähenbühl & Koltun 2011) as pydensecrf computes it, in `ExplainApi.Core.Segmentation` (METHODS.md §4): " +
        "Potts mean field with a smoothness (θγ = 3, w2 = 3) and an appearance kernel (θα = 80, θβ = 13, w1 = 10), each filtered by a permutohedral " +
        "lattice (Adams et al. 2010) with symmetric normalisation. The reference is Krähenbühl's C++ (pydensecrf's core) on one thread on this machine, " +
        "as recorded in METHODS.md §4; the target is at least 2× faster on 2 cores.";

    public static void Timings(BenchReport report, IReadOnlyList<CrfTiming> results, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(settings);
        report.Table("Dense CRF: lattice build and inference",
            "Seeded synthetic images (labelled rectangles and discs on a gradient, Gaussian noise σ = 8 grey levels, 0–255 units); the unary is " +
            "`CrfUnary.FromLabels` (confidence 0.7) of the labels with 20 % flipped. *Lattice*: `new DenseCrf(image, labels, parameters)` (both lattices, " +
            "their vertex neighbours and the normalisations K·1). *Inference*: `DenseCrf.Infer(unary)` (all mean-field iterations, Q and the label map out). " +
            $"Each timed after one warm-up, {settings.MinRepetitions}–{settings.MaxRepetitions} runs within the budget; p50 wall ms, CPU ms of the process " +
            "(all threads) beside it. Target met: lattice + inference p50 ≤ half the reference's total.",
            ["case", "iterations", "threads", "vertices (smooth / appearance)", "lattice ms p50 (CPU)", "inference ms p50 (CPU)", "total ms",
                "reference ms (lattice + inference)", "speed-up", "target 2×"],
            results.Select(r =>
            {
                var total = r.Lattice.Percentile(50) + r.Inference.Percentile(50);
                var reference = Reference(r.Case);
                return new[]
                {
                    r.Case.Name, r.Case.Iterations.ToString(Inv), r.Threads.ToString(Inv), string.Join(" / ", r.Vertices.Select(v => v.ToString("N0", Inv))),
                    $"{Ms(r.Lattice.Percentile(50))} ({Ms(r.Lattice.CpuPercentile(50))})", $"{Ms(r.Inference.Percentile(50))} ({Ms(r.Inference.CpuPercentile(50))})",
                    Ms(total),
                    reference is null ? "—" : $"{Num(r.Case.ReferenceLatticeMs!.Value, "0")} + {Num(r.Case.ReferenceInferenceMs!.Value, "0")}",
                    reference is null ? "—" : $"{Num(reference.Value / total, "0.00")}×",
                    reference is null ? "—" : reference.Value / total >= 2 ? "**met**" : "not met",
                };
            }),
            results.Select(r => new
            {
                name = r.Case.Name, height = r.Case.Height, width = r.Case.Width, channels = r.Case.Channels, labels = r.Case.Labels, iterations = r.Case.Iterations,
                threads = r.Threads, vertices = r.Vertices, lattice = r.Lattice.Summary(), inference = r.Inference.Summary(),
                reference = Reference(r.Case) is null ? null : new { latticeMs = r.Case.ReferenceLatticeMs, inferenceMs = r.Case.ReferenceInferenceMs },
                speedUp = Reference(r.Case) / (r.Lattice.Percentile(50) + r.Inference.Percentile(50)),
            }));
    }

    private static double? Reference(CrfCase c) => c.ReferenceLatticeMs + c.ReferenceInferenceMs;

    public static void Segmenter(BenchReport report, IReadOnlyList<SegmenterLatency> results)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(results);
        report.Table("Segmentation latency (`/segment`'s work after decoding)",
            "A segmentation model as the segmentation job registers one (U-Net, width 16, depth 3, 1×112×112 lesions images, 4 classes), served by " +
            "ONNX Runtime through `SegmentationAdapter` (ORT batches of at most 16), then the argmax label map per image. p50 wall ms per call.",
            ["images per call", "p50 ms", "p95 ms", "network ms", "label maps ms", "images/s"],
            results.Select(r => new[]
            {
                r.Batch.ToString(Inv), Ms(r.Latency.Percentile(50)), Ms(r.Latency.Percentile(95)), Ms(r.NetworkMs), Ms(r.LabelsMs), Num(r.ImagesPerSecond, "0.0"),
            }),
            results.Select(r => new { batch = r.Batch, latency = r.Latency.Summary(), networkMs = r.NetworkMs, labelsMs = r.LabelsMs, imagesPerSecond = r.ImagesPerSecond }));
    }
}
