using System.Diagnostics;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Segmentation;
using ExplainApi.Host.Explaining.Admission;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExplainApi.Host.Segmentation;

/// <summary>What one admitted CRF run produced.</summary>
public sealed record RefineRun(DenseCrfResult Result, double LatticeMilliseconds, double InferenceMilliseconds);

/// <summary>Prices a refinement, runs it under the explanation admission, and builds its answers.</summary>
public static class RefineExecution
{
    /// <summary>Size (H × W × labels: memory) and work (× iterations: time) against their limits, before anything is computed.</summary>
    public static ProblemHttpResult? CheckCost(int height, int width, int labels, int iterations, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var size = (long)height * width * labels;
        if (size > options.MaxLabelPixels)
        {
            return SegmentationProblems.TooCostly("size (height × width × labels)", size, options.MaxLabelPixels, nameof(options.MaxLabelPixels));
        }

        var work = size * iterations;
        return work > options.MaxWorkPerRequest
            ? SegmentationProblems.TooCostly("work (height × width × labels × iterations)", work, options.MaxWorkPerRequest, nameof(options.MaxWorkPerRequest))
            : null;
    }

    /// <summary>
    /// The lattices and mean field off the request thread, through the explanation slots, work bucket and deadline (the
    /// work counted as pass-pixels), so refinements and explanations share the processors. <paramref name="unary"/> is
    /// built only once admitted. The CRF cannot stop mid-inference: cancellation is honoured before and between its stages.
    /// </summary>
    public static Task<(RefineRun? Result, ProblemHttpResult? Problem)> RunAsync(
        HttpContext http, AdmittedExplanation admitted, CrfImage guide, int labels, DenseCrfParameters parameters, Func<float[]> unary)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        ArgumentNullException.ThrowIfNull(guide);
        ArgumentNullException.ThrowIfNull(parameters);
        var cost = (long)guide.PixelCount * labels * Math.Max(1, parameters.Iterations);
        return admitted.RunAsync<RefineRun>(http, "segmentation refinement", cost, token =>
        {
            token.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var crf = new DenseCrf(guide, labels, parameters);
            var lattice = clock.Elapsed.TotalMilliseconds;
            var potentials = unary();
            var result = crf.Infer(potentials, token);
            return (new RefineRun(result, lattice, clock.Elapsed.TotalMilliseconds - lattice), null);
        });
    }

    public static SegmentationRefineResponse Json(
        RefineRun run, string input, float? confidence, int[] stated, bool raw, DenseCrfParameters parameters, double totalMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(stated);
        var result = run.Result;
        var changed = 0L;
        for (var i = 0; i < stated.Length; i++)
        {
            changed += stated[i] >= 0 && stated[i] != result.LabelMap[i] ? 1 : 0;
        }

        return new SegmentationRefineResponse(result.Width, result.Height, result.Labels, input, confidence,
            Png(result), Classes(result), changed,
            raw ? RawFloat32.Encode(result.Probabilities, result.Labels, result.Height, result.Width).Bytes : null,
            raw ? [result.Labels, result.Height, result.Width] : null,
            RefineParameters.From(parameters), new RefineTimings(run.LatticeMilliseconds, run.InferenceMilliseconds, totalMilliseconds));
    }

    /// <summary>The label map as an 8-bit grey PNG, value = class index (labels ≤ 255).</summary>
    public static byte[] Png(DenseCrfResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return LabelMapRenderer.LabelsPng(LabelBytes(result), result.Height, result.Width);
    }

    private static List<SegmentClass> Classes(DenseCrfResult result) =>
        [.. LabelMap.Regions(LabelBytes(result), result.Width, result.Labels).Select(r => new SegmentClass(r.ClassIndex, r.Area, r.BoundingBox))];

    private static byte[] LabelBytes(DenseCrfResult result)
    {
        var labels = new byte[result.LabelMap.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)result.LabelMap[i];
        }

        return labels;
    }
}
