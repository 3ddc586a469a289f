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
        var multiple = 1 << segmenter.Depth;
        if (height % multiple != 0 || width % multiple != 0)
        {
            throw new ArgumentException($"A U-Net of depth {segmenter.Depth} needs H and W divisible by {multiple}; got {height}×{width}.", nameof(height));
        }
        var (stem, down, up, dec, head) = segmenter.Stages;
        var graph = SegmentationOnnxContract.Begin("unet_segmenter", segmenter.Channels, height, width);
        string Name(string stage, int i) => string.Create(CultureInfo.InvariantCulture, $"{stage}.{i}");
        var skips = new List<string> { TorchLayers.Add(graph, "stem", stem, SegmentationOnnxContract.Input) };
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
        return SegmentationOnnxContract.Finish(graph, TorchLayers.Add(graph, "head", head, x, SegmentationOnnxContract.Logits));
    }
}
