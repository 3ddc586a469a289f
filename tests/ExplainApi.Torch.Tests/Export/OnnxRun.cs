using ExplainApi.Onnx;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Export;

/// <summary>One output of an ONNX Runtime run: its shape and its float32 or int64 values.</summary>
internal sealed record OnnxOutput(long[] Shape, float[] Floats, long[] Int64s);

/// <summary>Runs an exported model in ONNX Runtime (CPU) and compares with TorchSharp values.</summary>
internal static class OnnxRun
{
    public static Dictionary<string, OnnxOutput> Run(
        byte[] model, IReadOnlyDictionary<string, (float[] Values, long[] Shape)> floats, IReadOnlyDictionary<string, long[]>? int64s, params string[] outputs)
    {
        using var session = new OnnxSessionFactory().Create(model, AcceleratorPreference.Cpu);
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, (data, shape)) in floats)
            {
                names.Add(name);
                values.Add(OrtValue.CreateTensorValueFromMemory(data, shape));
            }
            foreach (var (name, data) in int64s ?? new Dictionary<string, long[]>())
            {
                names.Add(name);
                values.Add(OrtValue.CreateTensorValueFromMemory(data, [data.Length]));
            }
            using var runOptions = new RunOptions();
            using var results = session.Session.Run(runOptions, names, values, outputs);
            return outputs.Zip(results).ToDictionary(p => p.First, p =>
            {
                var info = p.Second.GetTensorTypeAndShape();
                return info.ElementDataType == TensorElementType.Int64
                    ? new OnnxOutput(info.Shape, [], p.Second.GetTensorDataAsSpan<long>().ToArray())
                    : new OnnxOutput(info.Shape, p.Second.GetTensorDataAsSpan<float>().ToArray(), []);
            });
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    public static float[] RandomValues(long seed, params long[] shape)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var scope = NewDisposeScope();
        return Values(randn(shape, generator: generator));
    }

    public static float[] Values(Tensor tensor) => tensor.detach().contiguous().data<float>().ToArray();

    /// <summary>
    /// Asserts max-abs(expected − actual) ≤ 1e-4 (the bar) and, so that a small gradient cannot pass by being
    /// near zero everywhere, ≤ 1e-4 · max |expected| as well; logs both.
    /// </summary>
    public static void AssertClose(string label, float[] expected, OnnxOutput actual, long[] expectedShape, ITestOutputHelper output)
    {
        var error = MaxAbsDifference(expected, actual, expectedShape);
        var scale = expected.Max(v => Math.Abs((double)v));
        output.WriteLine($"{label}: max-abs {error:E2} (max |expected| {scale:E2})");
        Assert.True(error <= 1e-4, $"{label}: max-abs {error} > 1e-4");
        Assert.True(error <= 1e-4 * scale, $"{label}: max-abs {error} > 1e-4 × max |expected| = {1e-4 * scale}");
    }

    public static double MaxAbsDifference(float[] expected, OnnxOutput actual, long[] expectedShape)
    {
        Assert.Equal(expectedShape, actual.Shape);
        Assert.Equal(expected.Length, actual.Floats.Length);
        return expected.Zip(actual.Floats).Max(p => Math.Abs(p.First - (double)p.Second));
    }
}
