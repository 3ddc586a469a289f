using System.Globalization;
using ExplainApi.Onnx.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// The ONNX form (opset 17, forward graph only) of a <see cref="ResNetClassifier"/> in eval mode:
/// input [N,C,H,W] → Conv(conv1 ⊕ bn1) → Relu → per <see cref="BasicBlock"/>: Conv ⊕ BN → Relu → Conv ⊕ BN, Add the
/// shortcut (identity or Conv(downsample.0 ⊕ downsample.1)), Relu → … The last stage's output is also the graph output
/// <see cref="Activations"/> [N,K,h,w], the CAM target layer; then GlobalAveragePool → Flatten → Gemm(transB=1; fc) →
/// <see cref="Logits"/> → Softmax(axis=1) → <see cref="Probabilities"/>. BatchNorm uses its running statistics, folded
/// into the convolution before it (<see cref="FoldedConvolution"/>); the model itself is only read.
/// </summary>
public static class ResNetOnnx
{
    public const string Input = "input", Activations = "activations", Logits = "logits", Probabilities = "probabilities";

    public static byte[] Export(ResNetClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        T Module<T>(string name) where T : nn.Module =>
            modules.TryGetValue(name, out var module) && module is T typed
                ? typed
                : throw new InvalidOperationException($"The ResNet has no {typeof(T).Name} named '{name}'.");

        var graph = new OnnxGraphBuilder("resnet_classifier");
        graph.AddInput(Input, model.Channels, model.Height, model.Width);
        var size = FoldedConvolution.Add(graph, "conv1", Module<Conv2d>("conv1"), Module<BatchNorm2d>("bn1"), Input, "conv1.out", (model.Height, model.Width));
        var x = graph.AddNode("Relu", ["conv1.out"], ["relu"]);
        for (var stage = 0; stage < model.Depth; stage++)
        {
            for (var block = 0; block < ResNetClassifier.BlocksPerStage; block++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"layer{stage + 1}.{block}");
                var last = stage == model.Depth - 1 && block == ResNetClassifier.BlocksPerStage - 1;
                (x, size) = AddBlock(graph, name, Module<Conv2d>, Module<BatchNorm2d>, modules.ContainsKey($"{name}.downsample"), x, last ? Activations : name, size);
            }
        }
        var fc = Module<Linear>("fc");
        graph.AddInitializer("fc.weight", LogisticRegressionTrainer.Values(fc.weight), fc.weight.shape);
        graph.AddInitializer("fc.bias", LogisticRegressionTrainer.Values(fc.bias!), fc.out_features);
        graph.AddNode("GlobalAveragePool", [Activations], ["pooled"]);
        graph.AddNode("Flatten", ["pooled"], ["features"], OnnxGraphBuilder.IntAttribute("axis", 1));
        graph.AddNode("Gemm", ["features", "fc.weight", "fc.bias"], [Logits], OnnxGraphBuilder.IntAttribute("transB", 1));
        graph.AddNode("Softmax", [Logits], [Probabilities], OnnxGraphBuilder.IntAttribute("axis", 1));
        graph.AddOutput(Logits, model.Classes);
        graph.AddOutput(Probabilities, model.Classes);
        graph.AddOutput(Activations, fc.in_features, size.Height, size.Width);
        graph.AddMetadata("target_layer", model.TargetLayer);
        return graph.ToBytes();
    }

    /// <summary>y = ReLU(conv2⊕bn2(ReLU(conv1⊕bn1(x))) + shortcut(x)), as <see cref="BasicBlock.forward"/>.</summary>
    private static (string Output, (long Height, long Width) Size) AddBlock(
        OnnxGraphBuilder graph, string name, Func<string, Conv2d> conv, Func<string, BatchNorm2d> norm, bool downsample,
        string input, string output, (long Height, long Width) size)
    {
        var inner = FoldedConvolution.Add(graph, $"{name}.conv1", conv($"{name}.conv1"), norm($"{name}.bn1"), input, $"{name}.conv1.out", size);
        graph.AddNode("Relu", [$"{name}.conv1.out"], [$"{name}.relu1"]);
        var outer = FoldedConvolution.Add(graph, $"{name}.conv2", conv($"{name}.conv2"), norm($"{name}.bn2"), $"{name}.relu1", $"{name}.conv2.out", inner);
        var shortcut = input;
        if (downsample)
        {
            shortcut = $"{name}.downsample.out";
            FoldedConvolution.Add(graph, $"{name}.downsample", conv($"{name}.downsample.0"), norm($"{name}.downsample.1"), input, shortcut, size);
        }
        graph.AddNode("Add", [$"{name}.conv2.out", shortcut], [$"{name}.add"]);
        return (graph.AddNode("Relu", [$"{name}.add"], [output]), outer);
    }
}
