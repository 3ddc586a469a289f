using ExplainApi.Onnx.Proto;
using Google.Protobuf;

namespace ExplainApi.Onnx.Tests.Serving;

/// <summary>Y = Relu(X) on an NCHW image input named "input" with a symbolic batch and fixed C×H×W.</summary>
internal static class ReluImageModel
{
    public static byte[] Build(int channels, int height, int width)
    {
        var graph = new GraphProto { Name = "relu_image" };
        var node = new NodeProto { OpType = "Relu", Name = "relu" };
        node.Input.Add("input");
        node.Output.Add("output");
        graph.Node.Add(node);
        graph.Input.Add(Image("input", channels, height, width));
        graph.Output.Add(Image("output", channels, height, width));
        var model = new ModelProto { IrVersion = (long)Proto.Version.IrVersion2021730, ProducerName = "ExplainApi.Onnx.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Image(string name, int channels, int height, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var size in new[] { channels, height, width })
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        }

        var type = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = type } };
    }
}
