using ExplainApi.Onnx.Proto;
using Google.Protobuf;

namespace ExplainApi.Onnx.Tests;

/// <summary>Y = Relu(X·W + B) with X: [batch, 4] and a symbolic batch dimension, built with our ONNX schema classes.</summary>
internal static class ReluLinearModel
{
    public const int In = 4, Out = 3;

    // Mixed signs so Relu clips some outputs and passes others.
    public static readonly float[] W = [0.5f, -1f, 0.25f, -0.5f, 2f, 1f, 1.5f, 0.75f, -2f, 1f, -0.25f, 0.5f];
    public static readonly float[] B = [0.1f, -0.2f, 0.3f];

    public static byte[] Build()
    {
        var graph = new GraphProto { Name = "relu_linear" };
        graph.Node.Add(Node("MatMul", ["X", "W"], "XW"));
        graph.Node.Add(Node("Add", ["XW", "B"], "Z"));
        graph.Node.Add(Node("Relu", ["Z"], "Y"));
        graph.Initializer.Add(Floats("W", W, In, Out));
        graph.Initializer.Add(Floats("B", B, Out));
        graph.Input.Add(FloatTensor("X", "batch", In));
        graph.Output.Add(FloatTensor("Y", "batch", Out));

        var model = new ModelProto
        {
            IrVersion = (long)Proto.Version.IrVersion2021730,
            ProducerName = "ExplainApi.Onnx.Tests",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    /// <summary>The same computation in plain C#.</summary>
    public static float[] Expected(float[] x, int batch)
    {
        var y = new float[batch * Out];
        for (var n = 0; n < batch; n++)
        {
            for (var k = 0; k < Out; k++)
            {
                var z = B[k];
                for (var m = 0; m < In; m++)
                {
                    z += x[n * In + m] * W[m * Out + k];
                }
                y[n * Out + k] = Math.Max(0f, z);
            }
        }
        return y;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    private static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static ValueInfoProto FloatTensor(string name, string batchParam, long features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchParam });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        var type = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = type } };
    }
}
