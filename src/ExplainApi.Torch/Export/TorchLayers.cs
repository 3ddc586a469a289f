using ExplainApi.Onnx.Export;
using ExplainApi.Torch.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Export;

/// <summary>
/// Maps TorchSharp layers, as they compute in eval mode whatever their current mode, onto <see cref="DifferentiableGraph"/> ops, so their ONNX form carries its own
/// backward graph. A <see cref="Sequential"/> becomes its children in order, and a convolution directly followed by a
/// BatchNorm becomes one folded Conv (a BatchNorm elsewhere becomes a per-channel affine map). 2-D and 3-D layers map
/// alike except Upsample (2-D only); dropout is the identity in eval mode. Branching structure (residual Add, U-Net Concat) is the caller's: it calls
/// <see cref="DifferentiableGraph.Add"/> or <see cref="DifferentiableGraph.Concat"/> between layers.
/// </summary>
public static class TorchLayers
{
    /// <summary>Adds <paramref name="module"/> applied to <paramref name="input"/>; weights are named <c>{name}.weight</c> etc.</summary>
    /// <returns>The output tensor (named <paramref name="output"/> when given).</returns>
    public static string Add(DifferentiableGraph graph, string name, nn.Module module, string input, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(module);
        return module switch
        {
            Sequential sequential => AddSequential(graph, name, sequential, input, output),
            Convolution { transposed: false } conv => FoldedConvolution.Add(graph, name, conv, null, input, output),
            Convolution deconv => AddConvTranspose(graph, name, deconv, input, output),
            InstanceNorm norm => AddInstanceNorm(graph, name, norm, input, output),
            BatchNorm norm => AddBatchNorm(graph, name, norm, input, output),
            ReLU => graph.Relu(input, output),
            LeakyReLU leaky => graph.LeakyRelu(input, (float)leaky.negative_slope, output),
            Tanh => graph.Tanh(input, output),
            Sigmoid => graph.Sigmoid(input, output),
            Softmax softmax => graph.Softmax(input, softmax.dim < 0 ? softmax.dim + graph.ShapeOf(input).Count + 1 : softmax.dim, output),
            MaxPool2d pool => AddMaxPool(graph, name, pool.kernel_size, pool.stride, pool.padding, pool.dilation, pool.ceil_mode, input, output),
            MaxPool3d pool => AddMaxPool(graph, name, pool.kernel_size, pool.stride, pool.padding, pool.dilation, pool.ceil_mode, input, output),
            AvgPool2d pool => AddAveragePool(graph, name, pool.kernel_size, pool.stride, pool.padding, pool.ceil_mode || pool.divisor_override is not null, pool.count_include_pad, input, output),
            AvgPool3d pool => AddAveragePool(graph, name, pool.kernel_size, pool.stride, pool.padding, pool.ceil_mode || pool.divisor_override is not null, pool.count_include_pad, input, output),
            AdaptiveAvgPool2d pool when pool.output_size.All(s => s == 1) => graph.GlobalAveragePool(input, output),
            AdaptiveAvgPool3d pool when pool.output_size.All(s => s == 1) => graph.GlobalAveragePool(input, output),
            Upsample upsample => AddUpsample(graph, name, upsample, input, output),
            ReflectionPad2d or ReflectionPad3d => AddPad(graph, (PadBase)module, PadMode.Reflect, input, output),
            ReplicationPad2d or ReplicationPad3d => AddPad(graph, (PadBase)module, PadMode.Replicate, input, output),
            ZeroPad2d => AddPad(graph, (PadBase)module, PadMode.Zeros, input, output),
            Flatten flatten when flatten.start_dim == 1 && (flatten.end_dim == -1 || flatten.end_dim == graph.ShapeOf(input).Count) => graph.Flatten(input, output),
            Linear linear => graph.Linear(name, input, LogisticRegressionTrainer.Values(linear.weight), linear.out_features,
                linear.bias is null ? [] : LogisticRegressionTrainer.Values(linear.bias), output),
            Identity or Dropout or Dropout2d or Dropout3d => output is null ? input : graph.Identity(input, output),
            _ => throw new NotSupportedException($"'{name}': {module.GetType().Name} has no ONNX export with a backward graph."),
        };
    }

    private static string AddSequential(DifferentiableGraph graph, string name, Sequential sequential, string input, string? output)
    {
        var children = sequential.named_children().ToList();
        var x = input;
        for (var i = 0; i < children.Count; i++)
        {
            var (childName, child) = children[i];
            var qualified = name.Length == 0 ? childName : $"{name}.{childName}";
            var folds = child is Convolution { transposed: false } && i + 1 < children.Count && children[i + 1].module is BatchNorm;
            var last = i == children.Count - (folds ? 2 : 1);
            x = folds
                ? FoldedConvolution.Add(graph, qualified, (Convolution)child, (BatchNorm)children[++i].module, x, last ? output : null)
                : Add(graph, qualified, child, x, last ? output : null);
        }
        return output is not null && x != output ? graph.Identity(x, output) : x; // an empty Sequential
    }

    private static string AddConvTranspose(DifferentiableGraph graph, string name, Convolution deconv, string input, string? output) =>
        graph.ConvTranspose(name, input, LogisticRegressionTrainer.Values(deconv.weight), deconv.weight.shape,
            deconv.bias is null ? [] : LogisticRegressionTrainer.Values(deconv.bias), FoldedConvolution.Geometry(name, deconv),
            deconv.output_padding, deconv.groups, output);

    private static string AddBatchNorm(DifferentiableGraph graph, string name, BatchNorm norm, string input, string? output)
    {
        var (scale, shift) = FoldedConvolution.Affine(norm);
        return graph.ChannelAffine(name, input, scale, shift, output);
    }

    /// <summary>PyTorch lists pads from the last axis backwards, (begin, end) per axis.</summary>
    private static string AddPad(DifferentiableGraph graph, PadBase pad, PadMode mode, string input, string? output)
    {
        var rank = pad.padding.Length / 2;
        var begins = Enumerable.Range(0, rank).Select(a => pad.padding[2 * (rank - 1 - a)]).ToArray();
        var ends = Enumerable.Range(0, rank).Select(a => pad.padding[2 * (rank - 1 - a) + 1]).ToArray();
        return graph.Pad(input, begins, ends, mode, output);
    }

    private static string AddInstanceNorm(DifferentiableGraph graph, string name, InstanceNorm norm, string input, string? output)
    {
        if (norm.track_running_stats)
        {
            throw new NotSupportedException($"'{name}': an InstanceNorm2d with running statistics is not exported.");
        }
        var channels = (int)norm.num_features;
        var scale = norm.affine && norm.weight is not null ? LogisticRegressionTrainer.Values(norm.weight) : Enumerable.Repeat(1f, channels).ToArray();
        var bias = norm.affine && norm.bias is not null ? LogisticRegressionTrainer.Values(norm.bias) : new float[channels];
        return graph.InstanceNormalization(name, input, scale, bias, (float)norm.eps, output);
    }

    private static string AddMaxPool(
        DifferentiableGraph graph, string name, long[] kernel, long[]? stride, long[]? padding, long[]? dilation, bool ceilMode, string input, string? output)
    {
        if (ceilMode)
        {
            throw new NotSupportedException($"'{name}': ceil_mode pooling is not exported.");
        }
        return graph.MaxPool(input, ConvolutionGeometry.Symmetric(kernel, stride ?? kernel, padding ?? new long[kernel.Length], dilation), output);
    }

    private static string AddAveragePool(
        DifferentiableGraph graph, string name, long[] kernel, long[]? stride, long[]? padding, bool unsupported, bool countIncludePad, string input, string? output)
    {
        if (unsupported)
        {
            throw new NotSupportedException($"'{name}': ceil_mode or divisor_override average pooling is not exported.");
        }
        return graph.AveragePool(input, ConvolutionGeometry.Symmetric(kernel, stride ?? kernel, padding ?? new long[kernel.Length]), countIncludePad, output);
    }

    private static string AddUpsample(DifferentiableGraph graph, string name, Upsample upsample, string input, string? output)
    {
        var scales = upsample.scale_factor.ToArray();
        if (scales.Length is not (1 or 2) || upsample.recompute_scale_factor == true)
        {
            throw new NotSupportedException($"'{name}': only Upsample with scale factors is exported (not an output size or recomputed scales).");
        }
        var mode = upsample.mode switch
        {
            UpsampleMode.Nearest => ResizeMode.Nearest,
            UpsampleMode.Bilinear => upsample.align_corners == true ? ResizeMode.BilinearAlignCorners : ResizeMode.Bilinear,
            _ => throw new NotSupportedException($"'{name}': Upsample mode {upsample.mode} is not exported."),
        };
        return graph.Resize(input, scales[0], scales[^1], mode, output);
    }
}
