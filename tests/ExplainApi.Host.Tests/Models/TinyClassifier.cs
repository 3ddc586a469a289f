using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Onnx.Proto;
using Google.Protobuf;

namespace ExplainApi.Host.Tests.Models;

/// <summary>
/// logits = Flatten(input) · W: a 1×2×2 image to two classes, built with our ONNX schema classes, written out as a
/// trainer would leave it (absolute paths), ready for <see cref="IModelRegistry.RegisterAsync"/>.
/// </summary>
internal static class TinyClassifier
{
    public const int Channels = 1, Height = 2, Width = 2, Classes = 2;

    public static TrainedModel Write(string directory, byte[]? onnx = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, "trainer-output", Guid.NewGuid().ToString("N"))).FullName;
        var onnxFile = Path.Combine(folder, "model.onnx");
        var weightsFile = Path.Combine(folder, "weights.bin");
        File.WriteAllBytes(onnxFile, onnx ?? Build());
        File.WriteAllBytes(weightsFile, [1, 2, 3, 4]);
        var input = new ModelInputSpec(Channels, Height, Width, InputNormalization.Window(Channels), AllowResize: true);
        return TrainedModel.Classifier(onnxFile, weightsFile, input, ["healthy", "lesion"], ["flatten"],
            new Dictionary<string, double> { ["accuracy"] = 1.0 });
    }

    public static byte[] Build()
    {
        var graph = new GraphProto { Name = "tiny_classifier" };
        graph.Node.Add(Node("Flatten", ["input"], "flat"));
        graph.Node.Add(Node("MatMul", ["flat", "W"], "logits"));
        var weights = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Float };
        weights.Dims.Add([Channels * Height * Width, Classes]);
        weights.FloatData.Add([1f, -1f, 0.5f, 0.5f, -1f, 1f, 0f, 2f]);
        graph.Initializer.Add(weights);
        graph.Input.Add(Tensor("input", Channels, Height, Width));
        graph.Output.Add(Tensor("logits", Classes));
        var model = new ModelProto { IrVersion = (long)Onnx.Proto.Version.IrVersion2021730, ProducerName = "ExplainApi.Host.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    /// <summary>A float tensor with a symbolic batch dimension first.</summary>
    private static ValueInfoProto Tensor(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var size in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        }

        var type = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = type } };
    }
}
