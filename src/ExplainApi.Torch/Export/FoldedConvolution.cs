using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Export;

/// <summary>
/// A Conv2d, optionally followed by an eval-mode BatchNorm2d, emitted as one ONNX Conv (METHODS.md §1: BatchNorm is
/// folded into the conv before export, so the backward graph needs no BatchNorm rule). Per output channel o, with
/// s_o = γ_o / √(σ²_o + ε): W'_o = W_o·s_o and b'_o = β_o + (b_o − μ_o)·s_o (b = 0 for a conv without bias).
/// The arithmetic runs in float64 and is rounded to float32 once.
/// </summary>
public static class FoldedConvolution
{
    /// <summary>Adds <c>{name}.weight</c>, <c>{name}.bias</c> and a differentiable Conv <paramref name="input"/> → its output.</summary>
    public static string Add(DifferentiableGraph graph, string name, Conv2d conv, BatchNorm2d? norm, string input, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(conv);
        var geometry = Geometry(name, conv);
        var (weight, bias) = norm is null ? Plain(conv) : Fold(conv, norm);
        return graph.Conv(name, input, weight, conv.weight.shape, bias, geometry, conv.groups, output);
    }

    /// <summary>Kernel, stride, symmetric zero padding and dilation of a Conv2d or ConvTranspose2d.</summary>
    internal static ConvolutionGeometry Geometry(string name, Convolution conv)
    {
        if (conv.padding is null || conv.padding_mode != PaddingModes.Zeros)
        {
            throw new NotSupportedException($"'{name}': only explicit zero padding is exported (not padding '{conv.padding_type}', mode {conv.padding_mode}).");
        }
        return ConvolutionGeometry.Symmetric(conv.kernel_size, conv.stride, conv.padding, conv.dilation);
    }

    /// <summary>The folded weight [out, in/groups, kh, kw] and bias [out], flattened.</summary>
    public static (float[] Weight, float[] Bias) Fold(Conv2d conv, BatchNorm2d norm)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(norm);
        if (norm.running_mean is null || norm.running_var is null)
        {
            throw new NotSupportedException("A BatchNorm2d without running statistics normalises with batch statistics and cannot be folded.");
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var channels = conv.out_channels;
        var gamma = norm.weight is null ? ones(channels, ScalarType.Float64) : norm.weight.to_type(ScalarType.Float64);
        var beta = norm.bias is null ? zeros(channels, ScalarType.Float64) : norm.bias.to_type(ScalarType.Float64);
        var convBias = conv.bias is null ? zeros(channels, ScalarType.Float64) : conv.bias.to_type(ScalarType.Float64);
        var scale = gamma / (norm.running_var.to_type(ScalarType.Float64) + norm.eps).sqrt();
        var weight = conv.weight.to_type(ScalarType.Float64) * scale.reshape(-1, 1, 1, 1);
        var bias = beta + (convBias - norm.running_mean.to_type(ScalarType.Float64)) * scale;
        return (LogisticRegressionTrainer.Values(weight.to_type(ScalarType.Float32)), LogisticRegressionTrainer.Values(bias.to_type(ScalarType.Float32)));
    }

    private static (float[] Weight, float[] Bias) Plain(Conv2d conv) =>
        (LogisticRegressionTrainer.Values(conv.weight), conv.bias is null ? [] : LogisticRegressionTrainer.Values(conv.bias));
}
