using System.Globalization;
using ExplainApi.Core.Models;
using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// The ONNX form (opset 17) of a <see cref="ResNetClassifier"/> in eval mode, forward and backward, in the classifier
/// contract the serving side reads (<see cref="ClassifierOnnxContract"/>). Forward: input [N,C,H,W] → Conv(conv1 ⊕ bn1)
/// → Relu → per <see cref="BasicBlock"/>: Conv ⊕ BN → Relu → Conv ⊕ BN, Add the shortcut (identity or
/// Conv(downsample.0 ⊕ downsample.1)), Relu → … The last
/// stage's output is <see cref="Activations"/> [N,K,h,w], the CAM target layer; then GlobalAveragePool → Flatten →
/// Gemm(fc) → <see cref="Logits"/> → Softmax (or Sigmoid for a multi-label model) → <see cref="Probabilities"/>. BatchNorm uses its running statistics,
/// folded into the convolution before it (<see cref="FoldedConvolution"/>).
/// Backward (METHODS.md §1): <see cref="Target"/> int64 [N] picks the class c per item, a negative value meaning the
/// predicted one; the graph's own backward gives ∂y_c/∂A as <see cref="GradActivations"/> and ∂y_c/∂x as
/// <see cref="GradInput"/>. The model itself is only read.
/// </summary>
public static class ResNetOnnx
{
    public const string Input = ClassifierOnnxContract.Input, Target = ClassifierOnnxContract.Target, Activations = ClassifierOnnxContract.Activations,
        Logits = ClassifierOnnxContract.Logits, Probabilities = ClassifierOnnxContract.Probabilities, TargetClass = ClassifierOnnxContract.TargetClass,
        GradActivations = ClassifierOnnxContract.GradActivations, GradInput = ClassifierOnnxContract.GradInput;

    /// <summary>The initializers of the head (global average pooling, then the linear layer fc).</summary>
    public const string HeadWeight = "fc.weight", HeadBias = "fc.bias";

    public static byte[] Export(ResNetClassifier model, OutputActivation activation = OutputActivation.Softmax)
    {
        ArgumentNullException.ThrowIfNull(model);
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        T Module<T>(string name) where T : nn.Module =>
            modules.TryGetValue(name, out var module) && module is T typed
                ? typed
                : throw new InvalidOperationException($"The ResNet has no {typeof(T).Name} named '{name}'.");

        var graph = ClassifierOnnxContract.Begin("resnet_classifier", model.Channels, model.Height, model.Width);
        var x = graph.Relu(FoldedConvolution.Add(graph, "conv1", Module<Conv2d>("conv1"), Module<BatchNorm>("bn1"), Input), "relu");
        for (var stage = 0; stage < model.Depth; stage++)
        {
            for (var block = 0; block < ResNetClassifier.BlocksPerStage; block++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"layer{stage + 1}.{block}");
                var last = stage == model.Depth - 1 && block == ResNetClassifier.BlocksPerStage - 1;
                x = AddBlock(graph, name, Module<Conv2d>, Module<BatchNorm>, modules.ContainsKey($"{name}.downsample"), x, last ? Activations : name);
            }
        }
        var fc = Module<Linear>("fc");
        var features = graph.Flatten(graph.GlobalAveragePool(Activations, "pooled"), "features");
        graph.Linear("fc", features, LogisticRegressionTrainer.Values(fc.weight), fc.out_features, LogisticRegressionTrainer.Values(fc.bias!), Logits);
        return ClassifierOnnxContract.Finish(graph, model.TargetLayer, (ClassifierOnnxContract.GapLinearHead, HeadWeight, HeadBias), activation);
    }

    /// <summary>y = ReLU(conv2⊕bn2(ReLU(conv1⊕bn1(x))) + shortcut(x)), as <see cref="BasicBlock.forward"/>.</summary>
    private static string AddBlock(
        DifferentiableGraph graph, string name, Func<string, Conv2d> conv, Func<string, BatchNorm> norm, bool downsample, string input, string output)
    {
        var inner = graph.Relu(FoldedConvolution.Add(graph, $"{name}.conv1", conv($"{name}.conv1"), norm($"{name}.bn1"), input), $"{name}.relu1");
        var outer = FoldedConvolution.Add(graph, $"{name}.conv2", conv($"{name}.conv2"), norm($"{name}.bn2"), inner);
        var shortcut = downsample
            ? FoldedConvolution.Add(graph, $"{name}.downsample", conv($"{name}.downsample.0"), norm($"{name}.downsample.1"), input)
            : input;
        return graph.Relu(graph.Add(outer, shortcut, $"{name}.add"), output);
    }
}
