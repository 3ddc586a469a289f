using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Export;

namespace ExplainApi.Torch.Training.VaGan;

/// <summary>
/// The ONNX form (opset 17) of a <see cref="MapGenerator"/> in eval mode, in the difference-map contract
/// (<see cref="DifferenceMapOnnxContract"/>): input → U-Net (conv ⊕ BN folded, MaxPool, ConvTranspose then BN as a
/// per-channel affine map, Concat) → M; translated = Tanh(input + M). The generator is only read.
/// </summary>
public static class VaGanOnnx
{
    public static byte[] Export(MapGenerator generator, int height, int width, string? fromClass = null, string? toClass = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var (enc1, enc2, enc3, bottom, up3, dec3, up2, dec2, up1, dec1, head) = generator.Stages;
        var graph = DifferenceMapOnnxContract.Begin("vagan_generator", generator.Channels, height, width);
        var pool = ConvolutionGeometry.Symmetric([2, 2], [2, 2], [0, 0]);
        var s1 = TorchLayers.Add(graph, "enc1", enc1, DifferenceMapOnnxContract.Input);
        var s2 = TorchLayers.Add(graph, "enc2", enc2, graph.MaxPool(s1, pool, "pool1"));
        var s3 = TorchLayers.Add(graph, "enc3", enc3, graph.MaxPool(s2, pool, "pool2"));
        var x = TorchLayers.Add(graph, "bottom", bottom, graph.MaxPool(s3, pool, "pool3"));
        x = TorchLayers.Add(graph, "dec3", dec3, graph.Concat([TorchLayers.Add(graph, "up3", up3, x), s3], 1, "cat3"));
        x = TorchLayers.Add(graph, "dec2", dec2, graph.Concat([TorchLayers.Add(graph, "up2", up2, x), s2], 1, "cat2"));
        x = TorchLayers.Add(graph, "dec1", dec1, graph.Concat([TorchLayers.Add(graph, "up1", up1, x), s1], 1, "cat1"));
        var map = TorchLayers.Add(graph, "head", head, x, "map");
        var translated = graph.Tanh(graph.Add(DifferenceMapOnnxContract.Input, map, "input_plus_map"), "tanh");
        return DifferenceMapOnnxContract.Finish(graph, translated, fromClass, toClass);
    }
}
