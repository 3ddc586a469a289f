using ExplainApi.Core.Saliency;

namespace ExplainApi.Core.Tests.Saliency;

public class CamMethodsTests
{
    [Fact]
    public void The_registry_holds_each_method_once_under_its_api_name()
    {
        Assert.Equal(
            ["cam", "gradcam", "gradcampp", "xgradcam", "layercam", "hirescam", "eigencam"],
            CamMethods.All.Select(m => m.Name));
    }

    [Theory]
    [InlineData("GradCAM", "gradcam")]
    [InlineData("eigencam", "eigencam")]
    public void Names_are_looked_up_case_insensitively(string query, string expected)
    {
        Assert.True(CamMethods.TryGet(query, out var method));
        Assert.Equal(expected, method.Name);
    }

    [Fact]
    public void An_unknown_name_is_not_found()
    {
        Assert.False(CamMethods.TryGet("scorecam", out var method));
        Assert.Null(method);
    }

    [Fact]
    public void The_flags_say_what_each_method_reads()
    {
        var needs = CamMethods.All.ToDictionary(m => m.Name, m => (m.NeedsGradients, m.NeedsHeadWeights));

        Assert.Equal((false, true), needs["cam"]);
        Assert.Equal((false, false), needs["eigencam"]);
        Assert.All(new[] { "gradcam", "gradcampp", "xgradcam", "layercam", "hirescam" }, n => Assert.Equal((true, false), needs[n]));
    }

    [Fact]
    public void A_method_refuses_inputs_without_what_it_needs()
    {
        var bare = new SaliencyInputs(new float[2 * 4], 2, 2, 2, 4, 4, 0);

        foreach (var method in CamMethods.All.Where(m => m.NeedsGradients || m.NeedsHeadWeights))
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
