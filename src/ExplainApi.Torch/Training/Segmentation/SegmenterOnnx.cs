using System.Globalization;
using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Export;

namespace ExplainApi.Torch.Training.Segmentation;

/// <summary>
/// The ONNX form (opset 17) of a <see cref="UNetSegmenter"/> in eval mode, in the segmentation contract
/// (<see cref="SegmentationOnnxContract"/>): convolutions with their BatchNorm folded, Relu, bilinear Resize, Concat, the
/// 1×1 head → logits, Softmax over the classes → probabilities. The network is only read.
/// </summary>
public static class SegmenterOnnx
{
    public static byte[] Export(UNetSegmenter segmenter, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        var graph = SegmentationOnnxContract.Begin("unet_segmenter", segmenter.Channels, height, width);
        var (_, features) = AddTrunk(graph, segmenter, SegmentationOnnxContract.Input);
        return SegmentationOnnxContract.Finish(graph, TorchLayers.Add(graph, "head", segmenter.Stages.Head, features, SegmentationOnnxContract.Logits));
    }

    /// <summary>
    /// Everything but the head, as <see cref="UNetSegmenter.ForwardWithFeatures"/>: the stem's output (the early features SSDD's
    /// detector reads) and the last decoder level's (the head's input).
    /// </summary>
    internal static (string Early, string Head) AddTrunk(DifferentiableGraph graph, UNetSegmenter segmenter, string input)
    {
        var (stem, down, up, dec, _) = segmenter.Stages;
        var (multiple, shape) = (1 << segmenter.Depth, graph.ShapeOf(input));
        if (shape[1] % multiple != 0 || shape[2] % multiple != 0)
        {
            throw new ArgumentException($"A U-Net of depth {segmenter.Depth} needs H and W divisible by {multiple}; got {shape[1]}×{shape[2]}.", nameof(input));
        }
        string Name(string stage, int i) => string.Create(CultureInfo.InvariantCulture, $"{stage}.{i}");
        var skips = new List<string> { TorchLayers.Add(graph, "stem", stem, input) };
        for (var i = 0; i < down.Count; i++)
        {
            skips.Add(TorchLayers.Add(graph, Name("down", i), down[i], skips[^1]));
        }
        var x = skips[^1];
        for (var i = 0; i < up.Count; i++)
        {
            var joined = graph.Concat([TorchLayers.Add(graph, Name("up", i), up[i], x), skips[up.Count - 1 - i]], 1, Name("cat", i));
            x = TorchLayers.Add(graph, Name("dec", i), dec[i], joined);
        }
        return (skips[0], x);
    }
}
