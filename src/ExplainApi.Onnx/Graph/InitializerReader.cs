using System.Runtime.InteropServices;
using ExplainApi.Onnx.Proto;

namespace ExplainApi.Onnx.Graph;

/// <summary>Reads a float32 initializer's values and shape (raw_data little-endian or float_data).</summary>
public static class InitializerReader
{
    /// <returns>Null when the graph has no float32 initializer of that name.</returns>
    public static (float[] Values, long[] Dims)? ReadFloat(ModelProto model, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensor = model.Graph.Initializer.FirstOrDefault(t => t.Name == name);
        if (tensor is null || tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            return null;
        }

        var values = tensor.HasRawData
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : [.. tensor.FloatData];
        return (values, [.. tensor.Dims]);
    }
}
