using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Export;

/// <summary>
/// A convolution (2-D or 3-D), optionally followed by an eval-mode BatchNorm, emitted as one ONNX Conv (METHODS.md §1: BatchNorm is
/// folded into the conv before export, so the backward graph needs no BatchNorm rule). Per output channel o, with
/// s_o = γ_o / √(σ²_o + ε): W'_o = W_o·s_o and b'_o = β_o + (b_o − μ_o)·s_o (b = 0 for a conv without bias).
/// The arithmetic runs in float64 and is rounded to float32 once. A reflect or replicate padding mode becomes a Pad
/// before a Conv without padding, as PyTorch computes it.
/// </summary>
public static class FoldedConvolution
{
    /// <summary>Adds <c>{name}.weight</c>, <c>{name}.bias</c> and a differentiable Conv <paramref name="input"/> → its output.</summary>
    public static string Add(DifferentiableGraph graph, string name, Convolution conv, BatchNorm? norm, string input, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(conv);
        if (conv.transposed)
        {
            throw new ArgumentException($"'{name}' is a transposed convolution.", nameof(conv));
        }
        var (weight, bias) = norm is null ? Plain(conv) : Fold(conv, norm);
        var geometry = Geometry(name, conv);
        if (conv.padding_mode is PaddingModes.Reflect or PaddingModes.Replicate)
        {
            var mode = conv.padding_mode == PaddingModes.Reflect ? PadMode.Reflect : PadMode.Replicate;
            input = graph.Pad(input, conv.padding!, conv.padding!, mode, $"{name}.pad");
            geometry = geometry with { Pads = new long[geometry.Pads.Length] };
        }
        return graph.Conv(name, input, weight, conv.weight.shape, bias, geometry, conv.groups, output);
    }

    /// <summary>Kernel, stride, symmetric padding and dilation of a convolution or transposed convolution.</summary>
    internal static ConvolutionGeometry Geometry(string name, Convolution conv)
    {
        if (conv.padding is null || conv.padding_mode is not (PaddingModes.Zeros or PaddingModes.Reflect or PaddingModes.Replicate)
            || conv.transposed && conv.padding_mode != PaddingModes.Zeros)
        {
            throw new NotSupportedException($"'{name}': only explicit zero, reflect or replicate padding is exported (not padding '{conv.padding_type}', mode {conv.padding_mode}).");
        }
        return ConvolutionGeometry.Symmetric(conv.kernel_size, conv.stride, conv.padding, conv.dilation);
    }

    /// <summary>The folded weight [out, in/groups, k…] and bias [out], flattened.</summary>
    public static (float[] Weight, float[] Bias) Fold(Convolution conv, BatchNorm norm)
    {
        ArgumentNullException.ThrowIfNull(conv);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (scale, shift) = ScaleShift(norm);
        var convBias = conv.bias is null ? zeros(conv.out_channels, ScalarType.Float64) : conv.bias.to_type(ScalarType.Float64);
        var weight = conv.weight.to_type(ScalarType.Float64) * scale.reshape([-1, .. Enumerable.Repeat(1L, (int)conv.weight.dim() - 1)]);
        var bias = shift + convBias * scale; // β + (b − μ)·s
        return (LogisticRegressionTrainer.Values(weight.to_type(ScalarType.Float32)), LogisticRegressionTrainer.Values(bias.to_type(ScalarType.Float32)));
    }

    /// <summary>An eval-mode BatchNorm on its own as y = s·x + t per channel, flattened.</summary>
    public static (float[] Scale, float[] Shift) Affine(BatchNorm norm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (scale, shift) = ScaleShift(norm);
        return (LogisticRegressionTrainer.Values(scale.to_type(ScalarType.Float32)), LogisticRegressionTrainer.Values(shift.to_type(ScalarType.Float32)));
    }

    /// <summary>s = γ/√(σ² + ε) and t = β − μ·s in float64 (inside the caller's dispose scope).</summary>
    private static (Tensor Scale, Tensor Shift) ScaleShift(BatchNorm norm)
    {
        ArgumentNullException.ThrowIfNull(norm);
        if (norm.running_mean is null || norm.running_var is null)
        {
            throw new NotSupportedException("A BatchNorm without running statistics normalises with batch statistics and cannot be exported.");
        }
        var channels = norm.num_features;
        var gamma = norm.weight is null ? ones(channels, ScalarType.Float64) : norm.weight.to_type(ScalarType.Float64);
        var beta = norm.bias is null ? zeros(channels, ScalarType.Float64) : norm.bias.to_type(ScalarType.Float64);
        var scale = gamma / (norm.running_var.to_type(ScalarType.Float64) + norm.eps).sqrt();
        return (scale, beta - norm.running_mean.to_type(ScalarType.Float64) * scale);
    }

    private static (float[] Weight, float[] Bias) Plain(Convolution conv) =>
        (LogisticRegressionTrainer.Values(conv.weight), conv.bias is null ? [] : LogisticRegressionTrainer.Values(conv.bias));
}
