using ExplainApi.Core.Models;
using ExplainApi.Onnx.Export;

namespace ExplainApi.Onnx.Serving.Adapters;

/// <summary>
/// The difference-detector graph of a static-SSDD segmentation version (<see cref="DifferenceDetectorOnnxContract"/>; the
/// manifest's <see cref="SsddSection"/>): one run gives d_K and d_A for a batch, the segmenter features computed once.
/// </summary>
public sealed class DifferenceDetectorGraph
{
    private readonly LoadedModel model;
    private readonly int classes;

    private DifferenceDetectorGraph(LoadedModel model, SsddSection section, int classes) => (this.model, Section, this.classes) = (model, section, classes);

    public SsddSection Section { get; }

    /// <summary>Per image d_K and d_A [H·W] of preprocessed images [C·H·W] and their label maps K and A [H·W] (segmentation classes).</summary>
    /// <exception cref="ObjectDisposedException">The version was evicted.</exception>
    public (float[][] Knowledge, float[][] Advice) Detect(IReadOnlyList<float[]> images, IReadOnlyList<byte[]> knowledge, IReadOnlyList<byte[]> advice)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(advice);
        var spec = model.Manifest.Input;
        var plane = spec.Height * spec.Width;
        if (knowledge.Count != images.Count || advice.Count != images.Count || knowledge.Concat(advice).Any(m => m.Length != plane))
        {
            throw new ArgumentException($"Expected one K and one A of {spec.Height}×{spec.Width} per image.", nameof(knowledge));
        }

        var (dK, dA) = (new float[images.Count][], new float[images.Count][]);
        string[] fetch = [DifferenceDetectorOnnxContract.KnowledgeLogits, DifferenceDetectorOnnxContract.AdviceLogits];
        foreach (var chunk in Enumerable.Range(0, images.Count).Chunk(SegmentationAdapter.MaxBatch))
        {
            long n = chunk.Length;
            var outputs = model.Run(Section.Detector,
            [
                (DifferenceDetectorOnnxContract.Input, [.. chunk.SelectMany(i => images[i])], [n, spec.Channels, spec.Height, spec.Width]),
                (DifferenceDetectorOnnxContract.Knowledge, OneHot(chunk.Select(i => knowledge[i])), [n, classes, spec.Height, spec.Width]),
                (DifferenceDetectorOnnxContract.Advice, OneHot(chunk.Select(i => advice[i])), [n, classes, spec.Height, spec.Width]),
            ], fetch);
            for (var j = 0; j < chunk.Length; j++)
            {
                dK[chunk[j]] = outputs[0].Values.AsSpan(j * plane, plane).ToArray();
                dA[chunk[j]] = outputs[1].Values.AsSpan(j * plane, plane).ToArray();
            }
        }

        return (dK, dA);
    }

    /// <summary>[N, K, H, W] from label maps, as the detector's training took nn.functional.one_hot.</summary>
    private float[] OneHot(IEnumerable<byte[]> masks)
    {
        var list = masks.ToList();
        var plane = list[0].Length;
        var values = new float[list.Count * classes * plane];
        for (var n = 0; n < list.Count; n++)
        {
            for (var p = 0; p < plane; p++)
            {
                var k = list[n][p];
                if (k >= classes)
                {
                    throw new ArgumentException($"Label {k} is not one of the {classes} classes.", nameof(masks));
                }
                values[(((n * classes) + k) * plane) + p] = 1;
            }
        }
        return values;
    }

    /// <summary>The detector the manifest names, checked against the contract; null when the version has none.</summary>
    internal static DifferenceDetectorGraph? Attach(LoadedModel model, SegmentationSection section)
    {
        if (section.Ssdd is not { } ssdd)
        {
            return null;
        }
        var spec = model.Manifest.Input;
        var graph = model.Graph(ssdd.Detector) ?? throw new ModelContractException($"The ssdd section names graph '{ssdd.Detector}', which the version does not have.");
        var k = section.ClassNames.Count;
        static bool Fits(ModelTensorInfo? t, long[] item) =>
            t is { Datatype: "FP32", Shape.Count: 4 } && t.Shape.Skip(1).Zip(item).All(p => p.First == -1 || p.First == p.Second);
        var inputs = new (string Name, long[] Item)[]
        {
            (DifferenceDetectorOnnxContract.Input, [spec.Channels, spec.Height, spec.Width]),
            (DifferenceDetectorOnnxContract.Knowledge, [k, spec.Height, spec.Width]), (DifferenceDetectorOnnxContract.Advice, [k, spec.Height, spec.Width]),
        };
        var outputs = new[] { DifferenceDetectorOnnxContract.KnowledgeLogits, DifferenceDetectorOnnxContract.AdviceLogits };
        var bad = inputs.Where(i => !Fits(graph.Inputs.FirstOrDefault(t => t.Name == i.Name), i.Item)).Select(i => i.Name)
            .Concat(outputs.Where(o => !Fits(graph.Outputs.FirstOrDefault(t => t.Name == o), [1, spec.Height, spec.Width]))).FirstOrDefault();
        if (bad is not null)
        {
            throw new ModelContractException(
                $"Graph '{graph.Role}' ({graph.File}) is not an SSDD difference detector: '{bad}' is missing or misshapen (expected FP32 input, knowledge, advice [N, C|{k}, {spec.Height}, {spec.Width}] → knowledge_logits, advice_logits [N, 1, {spec.Height}, {spec.Width}]).");
        }

        return new DifferenceDetectorGraph(model, ssdd, k);
    }
}
