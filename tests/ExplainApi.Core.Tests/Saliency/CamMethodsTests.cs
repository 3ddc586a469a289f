using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency;

public class CamMethodsTests
{
    [Fact]
    public void The_captured_tensor_methods_are_the_cam_family_in_registry_order()
    {
        Assert.Equal(
            ["cam", "gradcam", "gradcampp", "xgradcam", "layercam", "hirescam", "eigencam"],
            SaliencyTestData.CapturedCams.Select(m => m.Name));
    }

    [Fact]
    public void The_flags_say_what_each_method_reads()
    {
        var needs = SaliencyTestData.CapturedCams.ToDictionary(m => m.Name, m => m.Needs);

        Assert.Equal(SaliencyNeeds.Activations | SaliencyNeeds.LinearHead, needs["cam"]);
        Assert.Equal(SaliencyNeeds.Activations, needs["eigencam"]);
        Assert.All(
            new[] { "gradcam", "gradcampp", "xgradcam", "layercam", "hirescam" },
            n => Assert.Equal(SaliencyNeeds.Activations | SaliencyNeeds.ActivationGradients, needs[n]));
    }

    [Fact]
    public void A_method_refuses_inputs_without_what_it_needs()
    {
        var bare = new SaliencyInputs(new float[2 * 4], 2, 2, 2, 4, 4, 0);

        foreach (var method in SaliencyTestData.CapturedCams.Where(m => m.Needs != SaliencyNeeds.Activations))
        {
            var error = Assert.Throws<ArgumentException>(() => method.Compute(bare));
            Assert.Contains(method.Name, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Inputs_of_the_wrong_length_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SaliencyInputs(new float[7], 2, 2, 2, 4, 4, 0));
        Assert.Throws<ArgumentException>(() => new SaliencyInputs(new float[8], 2, 2, 2, 4, 4, 0, gradients: new float[4]));
        Assert.Throws<ArgumentException>(() => new SaliencyInputs(new float[8], 2, 2, 2, 4, 4, 0, headWeights: new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SaliencyInputs(new float[8], 2, 2, 2, 0, 4, 0));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_activations_or_gradients_are_rejected(float bad)
    {
        var values = new float[8];
        values[5] = bad;

        Assert.Throws<ArgumentException>(() => new SaliencyInputs(values, 2, 2, 2, 4, 4, 0));
        Assert.Throws<ArgumentException>(() => new SaliencyInputs(new float[8], 2, 2, 2, 4, 4, 0, gradients: values));
    }
}
