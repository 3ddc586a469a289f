using ExplainApi.Core.Datasets;
using ExplainApi.Onnx.Export;
using static ExplainApi.Onnx.Export.OnnxGraphBuilder;

namespace ExplainApi.Bench;

/// <summary>
/// A forward-only ResNet-18 (He et al. 2016) at 3×224², built node by node as a model a client would import: conv 7×7/2
/// (BN folded into its bias) + ReLU + max-pool 3×3/2, four stages of two basic blocks (64, 128, 256, 512; 1×1 projection
/// where the shape changes), GAP, FC 1000. Target layer <see cref="TargetTensor"/> = layer4's output, K = 512 at 7×7.
/// Seeded He-normal weights; so that the Score-CAM weights (class probabilities) are not all ≈ 1/1000, the second conv of
/// each residual branch is scaled by 1/2 (activations stay O(1) through the 8 blocks) and the FC weights are scaled so the
/// logits have standard deviation <see cref="LogitStd"/> on a calibration image (a peaked, not a flat, softmax).
/// </summary>
public static class ResNet18Onnx
{
    public const string Input = "input", Logits = "logits", TargetTensor = "layer4";
    public const int Size = 224, Classes = 1000, K = 512;
    public const double LogitStd = 8;

    /// <summary>The graph with FC weights scaled by <paramref name="fcScale"/> (1, then the calibrated scale).</summary>
    public static byte[] Build(ulong seed, double fcScale = 1)
    {
        var random = new SplitMix64(seed);
        var b = new OnnxGraphBuilder("resnet18");
        var x = b.AddInput(Input, 3, Size, Size);
        var n = 0;
        string Conv(string input, int cin, int cout, int kernel, int stride, double scale = 1)
        {
            var name = $"conv{n++}";
            var w = Normal(random, cout * cin * kernel * kernel, scale * Math.Sqrt(2.0 / (cin * kernel * kernel)));
            b.AddInitializer(name + ".w", w, cout, cin, kernel, kernel);
            b.AddInitializer(name + ".b", new float[cout], cout);
            var pad = kernel / 2;
            return b.AddNode("Conv", [input, name + ".w", name + ".b"], [name],
                IntsAttribute("kernel_shape", kernel, kernel), IntsAttribute("strides", stride, stride), IntsAttribute("pads", pad, pad, pad, pad));
        }

        string Relu(string input, string? name = null) => b.AddNode("Relu", [input], [name ?? input + ".relu"]);

        x = Relu(Conv(x, 3, 64, 7, 2));
        x = b.AddNode("MaxPool", [x], ["maxpool"], IntsAttribute("kernel_shape", 3, 3), IntsAttribute("strides", 2, 2), IntsAttribute("pads", 1, 1, 1, 1));
        var channels = 64;
        int[] widths = [64, 128, 256, 512];
        for (var stage = 0; stage < widths.Length; stage++)
        {
            for (var block = 0; block < 2; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                var branch = Conv(Relu(Conv(x, channels, widths[stage], 3, stride)), widths[stage], widths[stage], 3, 1, scale: 0.5);
                var shortcut = stride != 1 || channels != widths[stage] ? Conv(x, channels, widths[stage], 1, stride) : x;
                var sum = b.AddNode("Add", [branch, shortcut], [$"add{stage}_{block}"]);
                x = Relu(sum, stage == 3 && block == 1 ? TargetTensor : null);
                channels = widths[stage];
            }
        }

        var pooled = b.AddNode("GlobalAveragePool", [x], ["gap"]);
        var flat = b.AddNode("Flatten", [pooled], ["flat"], IntAttribute("axis", 1));
        b.AddInitializer("fc.w", Normal(random, Classes * K, fcScale * Math.Sqrt(2.0 / K)), Classes, K);
        b.AddInitializer("fc.b", new float[Classes], Classes);
        b.AddNode("Gemm", [flat, "fc.w", "fc.b"], [Logits], IntAttribute("transB", 1));
        b.AddOutput(Logits, Classes);
        return b.ToBytes();
    }

    private static float[] Normal(SplitMix64 random, int count, double std)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box–Muller; u1 in (0, 1] so the log is finite.
            var u1 = ((random.Next() >> 11) + 1) * (1.0 / (1UL << 53));
            var u2 = (random.Next() >> 11) * (1.0 / (1UL << 53));
            values[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }
}
