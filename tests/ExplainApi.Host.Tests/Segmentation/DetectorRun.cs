using ExplainApi.Onnx;
using ExplainApi.Onnx.Export;
using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>An SSDD detector graph run directly in ONNX Runtime on one image and its masks, beside the route's own run.</summary>
internal static class DetectorRun
{
    public static (float[] Knowledge, float[] Advice) Logits(byte[] onnx, float[] input, byte[] knowledge, byte[] advice, int classes, int size)
    {
        using var session = new OnnxSessionFactory().Create(onnx, AcceleratorPreference.Cpu);
        using var image = OrtValue.CreateTensorValueFromMemory(input, [1, 1, size, size]);
        using var k = OrtValue.CreateTensorValueFromMemory(OneHot(knowledge, classes), [1, classes, size, size]);
        using var a = OrtValue.CreateTensorValueFromMemory(OneHot(advice, classes), [1, classes, size, size]);
        using var options = new RunOptions();
        using var results = session.Session.Run(options,
            [DifferenceDetectorOnnxContract.Input, DifferenceDetectorOnnxContract.Knowledge, DifferenceDetectorOnnxContract.Advice], [image, k, a],
            [DifferenceDetectorOnnxContract.KnowledgeLogits, DifferenceDetectorOnnxContract.AdviceLogits]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[1].GetTensorDataAsSpan<float>().ToArray());
    }

    private static float[] OneHot(byte[] mask, int classes)
    {
        var values = new float[classes * mask.Length];
        for (var p = 0; p < mask.Length; p++)
        {
            values[(mask[p] * mask.Length) + p] = 1;
        }
        return values;
    }
}
