using ExplainApi.Onnx.Export;

namespace ExplainApi.Torch.Training;

/// <summary>
/// The ONNX form of <see cref="LogisticRegressionModel"/> (opset 17):
/// input [N,C,H,W] → Flatten(axis=1) → Gemm(transB=1; fc.weight, fc.bias) → logits [N,classes] → Softmax(axis=1) → probabilities.
/// </summary>
public static class LogisticRegressionOnnx
{
    public const string Input = "input", Logits = "logits", Probabilities = "probabilities";

    public static byte[] Export(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int channels, int height, int width, int classes)
    {
        var features = (long)channels * height * width;
        var graph = new OnnxGraphBuilder("logistic_regression");
        graph.AddInput(Input, channels, height, width);
        graph.AddInitializer("fc.weight", weight, classes, features);
        graph.AddInitializer("fc.bias", bias, classes);
        graph.AddNode("Flatten", [Input], ["flat"], OnnxGraphBuilder.IntAttribute("axis", 1));
        graph.AddNode("Gemm", ["flat", "fc.weight", "fc.bias"], [Logits], OnnxGraphBuilder.IntAttribute("transB", 1));
        graph.AddNode("Softmax", [Logits], [Probabilities], OnnxGraphBuilder.IntAttribute("axis", 1));
        graph.AddOutput(Logits, classes);
        graph.AddOutput(Probabilities, classes);
        graph.AddMetadata("kind", LogisticRegressionTrainer.KindName);
        return graph.ToBytes();
    }
}
