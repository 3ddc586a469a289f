using ExplainApi.Torch.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Export;

/// <summary>Activations, normalisation, pooling, resizing and the linear head: forward and input gradient against TorchSharp.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class LayerParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("relu")]
    [InlineData("leaky_relu")]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("softmax")]
    [InlineData("instance_norm")]
    [InlineData("instance_norm_affine")]
    [InlineData("max_pool_2")]
    [InlineData("max_pool_3_stride_2_pad_1")]
    [InlineData("max_pool_dilated")]
    [InlineData("avg_pool_2")]
    [InlineData("avg_pool_3_stride_2_pad_1")]
    [InlineData("avg_pool_3_stride_2_pad_1_exclude_pad")]
    [InlineData("global_avg_pool")]
    [InlineData("upsample_nearest_2")]
    [InlineData("upsample_nearest_3")]
    [InlineData("upsample_bilinear_2")]
    [InlineData("upsample_bilinear_3")]
    [InlineData("upsample_bilinear_align_corners")]
    [InlineData("flatten_linear")]
    [InlineData("batch_norm_alone")]
    [InlineData("dropout")]
    [InlineData("reflection_pad")]
    [InlineData("replication_pad")]
    [InlineData("zero_pad")]
    [InlineData("reflection_pad_3d")]
    [InlineData("instance_norm_3d")]
    [InlineData("max_pool_3d")]
    [InlineData("global_avg_pool_3d")]
    [InlineData("avg_pool_3d")]
    public void Layer_forward_and_input_gradient_match(string layer)
    {
        var (module, shape) = Create(layer);
        using (module)
        {
            GradientParity.Randomized(module, seed: layer.Length);
            GradientParity.Check(module.call, (graph, x) => TorchLayers.Add(graph, layer, module, x), shape, seed: layer.Length * 7, output);
        }
    }

    [Fact]
    public void Softmax_over_a_feature_vector_matches()
    {
        using var softmax = nn.Softmax(-1);
        GradientParity.Check(softmax.call, (graph, x) => TorchLayers.Add(graph, "softmax", softmax, x), [7], seed: 11, output);
    }

    private static (nn.Module<Tensor, Tensor> Module, long[] Shape) Create(string layer) => layer switch
    {
        "relu" => (nn.ReLU(), [3, 5, 6]),
        "leaky_relu" => (nn.LeakyReLU(0.2), [3, 5, 6]),
        "tanh" => (nn.Tanh(), [3, 5, 6]),
        "sigmoid" => (nn.Sigmoid(), [3, 5, 6]),
        "softmax" => (nn.Softmax(1), [4, 3, 5]),
        "instance_norm" => (nn.InstanceNorm2d(3), [3, 6, 7]),
        "instance_norm_affine" => (nn.InstanceNorm2d(3, affine: true), [3, 5, 4]),
        "max_pool_2" => (nn.MaxPool2d(2), [3, 8, 9]),
        "max_pool_3_stride_2_pad_1" => (nn.MaxPool2d(3, stride: 2, padding: 1), [2, 9, 9]),
        "max_pool_dilated" => (nn.MaxPool2d(2, stride: 1, dilation: 2), [2, 7, 8]),
        "avg_pool_2" => (nn.AvgPool2d(2), [3, 8, 9]),
        "avg_pool_3_stride_2_pad_1" => (nn.AvgPool2d(3, stride: 2, padding: 1), [2, 9, 8]),
        "avg_pool_3_stride_2_pad_1_exclude_pad" => (nn.AvgPool2d(3, stride: 2, padding: 1, count_include_pad: false), [2, 9, 8]),
        "global_avg_pool" => (nn.AdaptiveAvgPool2d(1), [4, 5, 7]),
        "upsample_nearest_2" => (nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Nearest), [3, 4, 5]),
        "upsample_nearest_3" => (nn.Upsample(scale_factor: [3, 3], mode: UpsampleMode.Nearest), [2, 3, 4]),
        "upsample_bilinear_2" => (nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Bilinear, align_corners: false), [3, 4, 5]),
        "upsample_bilinear_3" => (nn.Upsample(scale_factor: [3, 3], mode: UpsampleMode.Bilinear, align_corners: false), [2, 5, 3]),
        "upsample_bilinear_align_corners" => (nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Bilinear, align_corners: true), [2, 4, 5]),
        "flatten_linear" => (nn.Sequential(("flatten", nn.Flatten()), ("fc", nn.Linear(18, 4))), [2, 3, 3]),
        "batch_norm_alone" => (nn.BatchNorm2d(3), [3, 4, 5]),
        "dropout" => (nn.Dropout2d(0.5), [3, 4, 5]),
        "reflection_pad" => (nn.ReflectionPad2d((1, 2, 3, 0)), [2, 4, 5]), // (left, right, top, bottom)
        "replication_pad" => (nn.ReplicationPad2d((2, 0, 1, 3)), [2, 4, 5]),
        "zero_pad" => (nn.ZeroPad2d((1, 1, 0, 2)), [2, 4, 3]),
        "reflection_pad_3d" => (nn.ReflectionPad3d((1, 0, 0, 2, 1, 1)), [2, 3, 4, 3]),
        "instance_norm_3d" => (nn.InstanceNorm3d(2, affine: true), [2, 3, 4, 5]),
        "max_pool_3d" => (nn.MaxPool3d(2), [2, 4, 5, 4]),
        "avg_pool_3d" => (nn.AvgPool3d(3, stride: 2, padding: 1, count_include_pad: false), [2, 5, 4, 6]),
        "global_avg_pool_3d" => (nn.AdaptiveAvgPool3d(1), [3, 2, 3, 4]),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, null),
    };
}
