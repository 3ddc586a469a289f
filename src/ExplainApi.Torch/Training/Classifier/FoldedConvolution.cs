using ExplainApi.Onnx.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// A Conv2d followed by an eval-mode BatchNorm2d, emitted as one ONNX Conv (METHODS.md §1: BatchNorm is folded into
/// the conv before export, so the backward graph needs no BatchNorm rule). Per output channel o, with
/// s_o = γ_o / √(σ²_o + ε): W'_o = W_o·s_o and b'_o = β_o + (b_o − μ_o)·s_o (b = 0 for a conv without bias).
/// The arithmetic runs in float64 and is rounded to float32 once.
/// </summary>
internal static class FoldedConvolution
{
    /// <summary>Adds <c>{name}.weight</c>, <c>{name}.bias</c> and a Conv node <paramref name="input"/> → <paramref name="output"/>.</summary>
    /// <param name="size">The input's height and width.</param>
    /// <returns>The output's height and width.</returns>
    public static (long Height, long Width) Add(
        OnnxGraphBuilder graph, string name, Conv2d conv, BatchNorm2d norm, string input, string output, (long Height, long Width) size)
    {
        CheckSupported(name, conv);
        var (weight, bias) = Fold(conv, norm);
        graph.AddInitializer($"{name}.weight", weight, conv.weight.shape);
        graph.AddInitializer($"{name}.bias", bias, conv.out_channels);
        var (kernel, stride, padding, dilation) = (conv.kernel_size, conv.stride, conv.padding!, conv.dilation);
        graph.AddNode("Conv", [input, $"{name}.weight", $"{name}.bias"], [output],
            OnnxGraphBuilder.IntsAttribute("kernel_shape", kernel),
            OnnxGraphBuilder.IntsAttribute("strides", stride),
            OnnxGraphBuilder.IntsAttribute("pads", padding[0], padding[1], padding[0], padding[1]), // begin…, end… (symmetric)
            OnnxGraphBuilder.IntsAttribute("dilations", dilation),
            OnnxGraphBuilder.IntAttribute("group", conv.groups));
        // ⌊(in + 2p − d(k − 1) − 1) / s⌋ + 1, as both PyTorch and ONNX define it.
        long Out(long length, int axis) => (length + 2 * padding[axis] - dilation[axis] * (kernel[axis] - 1) - 1) / stride[axis] + 1;
        return (Out(size.Height, 0), Out(size.Width, 1));
    }

    /// <summary>The folded weight [out, in/groups, kh, kw] and bias [out], flattened.</summary>
    public static (float[] Weight, float[] Bias) Fold(Conv2d conv, BatchNorm2d norm)
    {
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

    private static void CheckSupported(string name, Conv2d conv)
    {
        if (conv.padding is null || conv.padding_mode != PaddingModes.Zeros)
        {
            throw new NotSupportedException($"'{name}': only explicit zero padding is exported (not padding '{conv.padding_type}', mode {conv.padding_mode}).");
        }
    }
}
