using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Export;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The ONNX form (opset 17) of a <see cref="ResnetGenerator"/> under <see cref="DifferenceMapOnnxContract"/>: input
/// [N,C,H,W] → the generator's layers in order, each <see cref="ResnetBlock"/> as its conv_block plus an Add of the skip
/// → <see cref="DifferenceMapOnnxContract.Translated"/>. Initializers keep the PyTorch names (<c>model.1.weight</c>).
/// </summary>
public static class CycleGanOnnx
{
    public static byte[] Export(ResnetGenerator generator, int height, int width, string graphName = "cyclegan_generator", string? fromClass = null, string? toClass = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var graph = DifferenceMapOnnxContract.Begin(graphName, generator.Channels, height, width);
        var x = DifferenceMapOnnxContract.Input;
        foreach (var (index, layer) in generator.Model.named_children())
        {
            var name = $"model.{index}";
            x = layer is ResnetBlock block
                ? graph.Add(TorchLayers.Add(graph, $"{name}.conv_block", block.ConvBlock, x), x, $"{name}.out")
                : TorchLayers.Add(graph, name, layer, x);
        }
        var onnx = DifferenceMapOnnxContract.Finish(graph, x, fromClass, toClass);
        // No backward graph is emitted, so the constants only backward rules read (e.g. InstanceNorm's broadcast γ) go.
        return OnnxGraphPruner.Prune(onnx, [DifferenceMapOnnxContract.Translated]);
    }
}
