using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.Saliency.Explaining;

public class SaliencyMethodsTests
{
    private static readonly string[] GradientMethods =
        ["gradcam", "gradcampp", "xgradcam", "layercam", "hirescam", "gradient", "smoothgrad", "integratedgradients"];

    [Fact]
    public void The_registry_holds_the_fourteen_methods_once_each_under_their_api_names()
    {
        Assert.Equal(
            ["cam", "gradcam", "gradcampp", "xgradcam", "layercam", "hirescam", "scorecam", "ablationcam", "eigencam",
             "gradient", "smoothgrad", "integratedgradients", "occlusion", "rise"],
            SaliencyMethods.All.Select(m => m.Name));
    }

    [Theory]
    [InlineData("GradCAM", "gradcam")]
    [InlineData("RISE", "rise")]
    [InlineData("IntegratedGradients", "integratedgradients")]
    public void Names_are_looked_up_case_insensitively(string query, string expected)
    {
        Assert.True(SaliencyMethods.TryGet(query, out var method));
        Assert.Equal(expected, method.Name);
    }

    [Fact]
    public void An_unknown_name_is_not_found()
    {
        Assert.False(SaliencyMethods.TryGet("guidedbackprop", out var method));
        Assert.Null(method);
    }

    [Fact]
    public void Exactly_the_gradient_methods_say_they_need_gradients()
    {
        Assert.Equal(GradientMethods, SaliencyMethods.All.Where(m => m.NeedsGradients).Select(m => m.Name));
    }

    [Fact]
    public void A_model_with_everything_supports_every_method()
    {
        var model = new TwoBlobModel();

        Assert.All(SaliencyMethods.All, m => Assert.True(SaliencyMethods.Supports(m, model, out var reason), reason));
    }

    [Fact]
    public void A_forward_only_model_refuses_the_gradient_methods_and_says_why()
    {
        var model = new TwoBlobModel(hasGradients: false);

        foreach (var method in SaliencyMethods.All)
        {
            var supported = SaliencyMethods.Supports(method, model, out var reason);

            Assert.Equal(!GradientMethods.Contains(method.Name), supported);
            if (!supported)
            {
                Assert.Equal($"{method.Name} needs gradients; this model was imported without a backward graph.", reason);
            }
        }
    }

    [Fact]
    public void A_model_without_activations_keeps_only_the_input_level_methods()
    {
        var model = new TwoBlobModel(hasActivations: false, hasLinearHead: false, hasSeparableHead: false);

        Assert.Equal(
            ["gradient", "smoothgrad", "integratedgradients", "occlusion", "rise"],
            SaliencyMethods.All.Where(m => SaliencyMethods.Supports(m, model)).Select(m => m.Name));
        Assert.False(SaliencyMethods.Supports(SaliencyMethods.All[8], model, out var reason));
        Assert.Contains("activations", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cam_needs_a_linear_head_and_ablation_cam_a_separable_one()
    {
        var model = new TwoBlobModel(hasLinearHead: false, hasSeparableHead: false);

        Assert.Equal(
            ["cam", "ablationcam"],
            SaliencyMethods.All.Where(m => !SaliencyMethods.Supports(m, model)).Select(m => m.Name));
    }
}
