using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ExplainApi.Onnx.Explaining;

/// <summary>Copies of ORT outputs into managed arrays, so nothing native outlives the run.</summary>
internal static class OrtOutputs
{
    public static float[] Floats(OrtValue value) => value.GetTensorTypeAndShape().ElementDataType switch
    {
        TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
        TensorElementType.Int64 => [.. value.GetTensorDataAsSpan<long>().ToArray().Select(v => (float)v)],
        TensorElementType.Int32 => [.. value.GetTensorDataAsSpan<int>().ToArray().Select(v => (float)v)],
        TensorElementType.Double => [.. value.GetTensorDataAsSpan<double>().ToArray().Select(v => (float)v)],
        var other => throw new NotSupportedException($"Output element type {other} is not served."),
    };

    public static int[] Int32s(OrtValue value) => value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64
        ? [.. value.GetTensorDataAsSpan<long>().ToArray().Select(v => (int)v)]
        : value.GetTensorDataAsSpan<int>().ToArray();

    public static long[] Shape(OrtValue value) => value.GetTensorTypeAndShape().Shape;

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
