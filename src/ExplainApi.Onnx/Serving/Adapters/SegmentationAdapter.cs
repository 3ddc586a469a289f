using ExplainApi.Core.Models;

namespace ExplainApi.Onnx.Serving.Adapters;

/// <summary>
/// A segmentation model: the graph its manifest's segmentation section names, which must follow the contract (float
/// <c>input</c> [N, C, H, W] → float <c>probabilities</c> [N, K, H, W] with the manifest's C×H×W and K class names),
/// checked at load, else the version fails. <see cref="Segment"/> runs it in batches of at most <see cref="MaxBatch"/>; a
/// static-SSDD version also has its <see cref="Detector"/>, checked likewise.
/// </summary>
public sealed class SegmentationAdapter : IModelAdapter
{
    /// <summary>The segmenter graph contract (the same names as the exporter's SegmentationOnnxContract).</summary>
    public const string InputTensor = "input", OutputTensor = "probabilities";

    public const int MaxBatch = 16;

    private readonly LoadedModel model;
    private readonly bool fixedBatchOfOne;

    private SegmentationAdapter(LoadedModel model, SegmentationSection section, bool fixedBatchOfOne, DifferenceDetectorGraph? detector) =>
        (this.model, Section, this.fixedBatchOfOne, Detector) = (model, section, fixedBatchOfOne, detector);

    public ModelTask Task => ModelTask.Segmentation;

    public SegmentationSection Section { get; }

    /// <summary>Static SSDD's difference detector, for the ssdd stage; null when the version was not trained by static SSDD.</summary>
    public DifferenceDetectorGraph? Detector { get; }

    /// <summary>K: the classes per pixel, background first.</summary>
    public int Classes => Section.ClassNames.Count;

    /// <summary>The per-pixel class probabilities [count, K, H, W] of <paramref name="count"/> preprocessed images [count, C, H, W].</summary>
    /// <exception cref="ObjectDisposedException">The version was evicted.</exception>
    public float[] Segment(float[] images, int count)
    {
        ArgumentNullException.ThrowIfNull(images);
        var spec = model.Manifest.Input;
        var (item, plane) = (spec.Channels * spec.Height * spec.Width, spec.Height * spec.Width);
        if (count < 1 || images.Length != (long)count * item)
        {
            throw new ArgumentException($"Expected {count} images of {spec.Channels}×{spec.Height}×{spec.Width} values, got {images.Length} values.", nameof(images));
        }

        var batch = fixedBatchOfOne ? 1 : MaxBatch;
        var probabilities = new float[(long)count * Classes * plane];
        string[] fetch = [OutputTensor];
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            var chunk = n == count ? images : images.AsSpan(start * item, n * item).ToArray();
            var output = model.Run(Section.Graph, chunk, [n, spec.Channels, spec.Height, spec.Width], fetch)[0];
            if (output.Values.Length != n * Classes * plane)
            {
                throw new InvalidOperationException($"Segmenter '{Section.Graph}' returned {output.Values.Length} values for {n} image(s) of {Classes}×{plane}.");
            }

            output.Values.CopyTo(probabilities, start * Classes * plane);
        }

        return probabilities;
    }

    internal static IModelAdapter Attach(AdapterContext context)
    {
        var model = context.Model;
        var section = model.Manifest.Segmentation ?? throw new ModelContractException("The manifest has no segmentation section.");
        var spec = model.Manifest.Input;
        var graph = model.Graph(section.Graph) ?? throw new ModelContractException($"The segmentation section names graph '{section.Graph}', which the version does not have.");
        if (Violation(graph, spec, section.ClassNames.Count) is { } why)
        {
            throw new ModelContractException(
                $"Graph '{graph.Role}' ({graph.File}) is not a segmenter: {why} (expected FP32 '{InputTensor}' [N, {spec.Channels}, {spec.Height}, {spec.Width}] → FP32 '{OutputTensor}' [N, {section.ClassNames.Count}, {spec.Height}, {spec.Width}]).");
        }

        return new SegmentationAdapter(model, section, fixedBatchOfOne: graph.Inputs.Single(i => i.Name == InputTensor).Shape[0] == 1,
            DifferenceDetectorGraph.Attach(model, section));
    }

    /// <summary>Why the graph breaks the contract, or null; the warm-up has already run it on [1, C, H, W].</summary>
    private static string? Violation(GraphSession graph, ModelInputSpec spec, int classes)
    {
        static bool Fits(ModelTensorInfo t, long[] item) =>
            t.Datatype == "FP32" && t.Shape.Count == 4 && t.Shape.Skip(1).Zip(item).All(p => p.First == -1 || p.First == p.Second);
        var input = graph.Inputs.FirstOrDefault(i => i.Name == InputTensor);
        var output = graph.Outputs.FirstOrDefault(o => o.Name == OutputTensor);
        return input is null ? $"it has no input '{InputTensor}'"
            : graph.Inputs.Count != 1 ? $"it has {graph.Inputs.Count} inputs"
            : !Fits(input, [spec.Channels, spec.Height, spec.Width]) ? $"input '{InputTensor}' is {input.Datatype} [{string.Join(", ", input.Shape)}]"
            : output is null ? $"it has no output '{OutputTensor}'"
            : !Fits(output, [classes, spec.Height, spec.Width]) ? $"output '{OutputTensor}' is {output.Datatype} [{string.Join(", ", output.Shape)}]"
            : null;
    }

    public void Dispose()
    {
        // Runs on the version's graph sessions, which the LoadedModel disposes.
    }
}
