using ExplainApi.Torch.Export;
using ExplainApi.Torch.Tests.Training.Classifier;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Export;

/// <summary>Conv2d (with folded BatchNorm2d) and ConvTranspose2d: forward and input gradient against TorchSharp.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class ConvolutionParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3, 5, 3, 1, 1, 1, 1, true, 9, 11)] // 3×3 "same"
    [InlineData(2, 4, 3, 2, 1, 1, 1, true, 9, 10)] // stride 2 on odd and even sizes: output padding 0 and 1
    [InlineData(2, 3, 4, 3, 0, 1, 1, false, 13, 11)] // stride 3, kernel 4, no padding, no bias
    [InlineData(2, 3, 3, 1, 2, 2, 1, true, 8, 9)] // dilation 2
    [InlineData(4, 6, 3, 1, 1, 1, 2, true, 7, 7)] // 2 groups
    [InlineData(4, 4, 3, 2, 0, 1, 4, false, 9, 8)] // depthwise, strided
    [InlineData(3, 2, 1, 2, 0, 1, 1, false, 7, 6)] // strided 1×1 (a ResNet shortcut)
    [InlineData(1, 3, 7, 1, 3, 1, 1, true, 12, 10)] // CycleGAN's 7×7 stem
    [InlineData(2, 3, 3, 1, 3, 1, 1, true, 6, 5)] // stride 1 but padding beyond the kernel's reach: backward by ConvTranspose
    [InlineData(4, 6, 3, 1, 2, 2, 2, true, 7, 6)] // stride 1, dilation and groups: backward by the flipped-kernel Conv
    public void Conv2d_forward_and_input_gradient_match(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups, bool bias, int height, int width)
    {
        using var conv = GradientParity.Randomized(nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias), seed: kernel * 10 + stride);
        Check(conv, [inChannels, height, width], seed: 1);
    }

    [Theory]
    [InlineData(4, 3, 4, 2, 1, 0, 1, 1, true, 5, 6)] // the U-Net / PatchGAN ×2 upsampling
    [InlineData(4, 2, 3, 2, 1, 1, 1, 1, true, 5, 5)] // CycleGAN's ×2 upsampling (output padding 1)
    [InlineData(4, 6, 3, 1, 1, 0, 1, 2, false, 4, 5)] // 2 groups
    [InlineData(2, 3, 3, 3, 0, 2, 2, 1, true, 3, 4)] // stride 3, output padding 2, dilation 2
    public void ConvTranspose2d_forward_and_input_gradient_match(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding, int dilation, int groups, bool bias, int height, int width)
    {
        using var deconv = GradientParity.Randomized(nn.ConvTranspose2d(inChannels, outChannels, kernel, stride: stride, padding: padding, output_padding: outputPadding, dilation: dilation, groups: groups, bias: bias), seed: kernel + stride);
        Check(deconv, [inChannels, height, width], seed: 2);
    }

    [Fact]
    public void Conv2d_then_eval_mode_BatchNorm2d_is_folded_into_one_Conv_with_the_same_forward_and_gradient()
    {
        using var block = GradientParity.Randomized(nn.Sequential(("0", nn.Conv2d(3, 4, 3, stride: 2, padding: 1, bias: true)), ("1", nn.BatchNorm2d(4))), seed: 5);
        Check(block, [3, 9, 8], seed: 3);
    }

    [Fact]
    public void Conv3d_then_BatchNorm3d_and_ConvTranspose3d_match()
    {
        using var block = GradientParity.Randomized(nn.Sequential(
            ("0", nn.Conv3d(2, 3, 3, stride: 2, padding: 1)), ("1", nn.BatchNorm3d(3)), ("2", nn.ReLU()),
            ("3", nn.ConvTranspose3d(3, 2, 4, stride: 2, padding: 1))), seed: 6);
        Check(block, [2, 5, 6, 7], seed: 4);
    }

    [Theory]
    [InlineData(PaddingModes.Reflect)]
    [InlineData(PaddingModes.Replicate)]
    public void A_Conv2d_with_reflect_or_replicate_padding_becomes_Pad_then_Conv(PaddingModes mode)
    {
        using var conv = GradientParity.Randomized(nn.Conv2d(1, 3, 7, padding: 3, padding_mode: mode), seed: 7); // CycleGAN's stem
        Check(conv, [1, 9, 8], seed: 5);
    }

    private void Check(nn.Module<Tensor, Tensor> module, long[] shape, long seed) =>
        GradientParity.Check(module.call, (graph, x) => TorchLayers.Add(graph, "layer", module, x), shape, seed, output);
}
