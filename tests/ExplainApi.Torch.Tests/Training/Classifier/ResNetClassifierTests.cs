using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Classifier;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class ResNetClassifierTests
{
    [Theory]
    [InlineData(1, 32, 3)]
    [InlineData(3, 32, 3)]
    [InlineData(1, 64, 3)]
    [InlineData(3, 64, 2)]
    public void Logits_and_target_layer_activations_have_the_expected_shapes(int channels, int side, int depth)
    {
        random.manual_seed(1);
        using var model = new ResNetClassifier(channels, side, side, classes: 4, baseWidth: 8, depth: depth);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var (activations, logits) = model.ForwardWithActivations(randn(2, channels, side, side));

        var reduced = side >> (depth - 1);
        Assert.Equal([2L, 8L << (depth - 1), reduced, reduced], activations.shape);
        Assert.Equal([2L, 4L], logits.shape);
        Assert.Equal([2L, 4L], model.call(randn(2, channels, side, side)).shape);
    }

    [Fact]
    public void Weights_are_named_as_in_torchvision_and_the_target_layer_is_the_last_stage()
    {
        using var model = new ResNetClassifier(1, 32, 32, classes: 2, baseWidth: 8, depth: 3);

        var names = model.state_dict().Keys.ToHashSet();

        Assert.Equal("layer3", model.TargetLayer);
        Assert.Contains("conv1.weight", names);
        Assert.Contains("bn1.running_mean", names);
        Assert.Contains("layer1.1.conv2.weight", names);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", names); // same width and resolution: identity shortcut
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("layer3.0.downsample.1.running_var", names);
        Assert.Contains("fc.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("layer4", StringComparison.Ordinal));
        Assert.All(names, n => Assert.Matches(@"^(conv1|bn1|layer[123]\.[01]|fc)\.", n));
        using var noGrad = no_grad();
        var strided = model.named_parameters().Single(p => p.name == "layer2.0.conv1.weight").parameter;
        Assert.Equal([16L, 8L, 3L, 3L], strided.shape);
    }

    [Fact]
    public void A_training_step_with_Adam_inside_a_dispose_scope_leaves_no_live_tensors()
    {
        random.manual_seed(2);
        using var model = new ResNetClassifier(3, 32, 32, classes: 3, baseWidth: 8, depth: 2);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (activations, logits) = model.ForwardWithActivations(randn(4, 3, 32, 32));
            var loss = nn.functional.cross_entropy(logits, tensor(new long[] { 0, 1, 2, 0 })) + activations.mean() * 0;
            loss.backward();
            optimizer.step();
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Inputs_too_small_for_the_depth_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResNetClassifier(1, 8, 8, classes: 2, depth: 5));
}
