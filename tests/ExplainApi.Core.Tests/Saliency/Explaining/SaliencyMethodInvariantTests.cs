using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Tests.Saliency.Explaining;

/// <summary>Every registered method on <see cref="TwoBlobModel"/>: the shape, range and class dependence of its map.</summary>
public class SaliencyMethodInvariantTests
{
    // Fewer SmoothGrad copies than the default keep the test fast; the invariants do not depend on it.
    private static readonly SaliencyOptions Options = new() { SmoothGradSamples = 12, Seed = 3 };

    public static TheoryData<string> Names => [.. SaliencyMethods.All.Select(m => m.Name)];

    // Methods whose map must follow the class: the peak lies where the model's evidence for that class is.
    public static TheoryData<string> Localising => [.. SaliencyMethods.All.Select(m => m.Name).Except(["eigencam", "gradient", "smoothgrad"])];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_method_returns_a_finite_map_at_the_input_size_normalised_to_0_1(string name)
    {
        var map = Explain(name, targetClass: 1);

        Assert.Equal((name, 1, TwoBlobModel.Size, TwoBlobModel.Size), (map.Method, map.TargetClass, map.Height, map.Width));
        Assert.Equal(TwoBlobModel.Size * TwoBlobModel.Size, map.Raw.Length);
        Assert.Equal(map.Raw.Length, map.Normalized.Length);
        Assert.All(map.Raw, v => Assert.True(float.IsFinite(v), $"raw {v}"));
        Assert.True(map.Raw.Max() > map.Raw.Min(), "the map is constant");
        Assert.All(map.Normalized, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(0f, map.Normalized.Min(), 1e-6f);
        Assert.Equal(1f, map.Normalized.Max(), 1e-6f);
        if (!map.IsSigned)
        {
            Assert.All(map.Raw, v => Assert.True(v >= 0, $"raw {v} of an unsigned map"));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Only_integrated_gradients_occlusion_and_centred_rise_are_signed(string name)
    {
        Assert.Equal(name is "integratedgradients" or "occlusion" or "rise", Explain(name, targetClass: 0).IsSigned);
    }

    [Theory]
    [MemberData(nameof(Localising))]
    public void The_peak_moves_to_where_the_evidence_for_the_explained_class_is(string name)
    {
        var forClass0 = PointingGame.ArgMax(Explain(name, targetClass: 0).Raw, TwoBlobModel.Size);
        var forClass1 = PointingGame.ArgMax(Explain(name, targetClass: 1).Raw, TwoBlobModel.Size);

        Assert.True(forClass0 is { Row: < 8, Column: < 8 }, $"{name} for class 0 peaks at {forClass0}");
        Assert.True(forClass1 is { Row: >= 8, Column: >= 8 }, $"{name} for class 1 peaks at {forClass1}");
    }

    [Theory]
    [InlineData("gradient")]
    [InlineData("smoothgrad")]
    public void Input_gradient_maps_change_with_the_explained_class(string name)
    {
        Assert.NotEqual(Explain(name, targetClass: 0).Raw, Explain(name, targetClass: 1).Raw);
    }

    [Fact]
    public void Eigen_cam_reads_no_class_and_gives_the_same_map_for_every_target()
    {
        Assert.Equal(Explain("eigencam", targetClass: 0).Raw, Explain("eigencam", targetClass: 1).Raw);
    }

    [Fact]
    public void Without_a_requested_class_the_predicted_one_is_explained()
    {
        var model = new TwoBlobModel();
        var image = TwoBlobModel.Image();
        var predicted = model.Logit(image, 0) >= model.Logit(image, 1) ? 0 : 1;

        Assert.All(SaliencyMethods.All.Take(3), m => Assert.Equal(predicted, m.Compute(new ExplanationContext(model, image, options: Options)).TargetClass));
    }

    private static SaliencyMap Explain(string name, int targetClass)
    {
        Assert.True(SaliencyMethods.TryGet(name, out var method));
        return method.Compute(new ExplanationContext(new TwoBlobModel(), TwoBlobModel.Image(), targetClass, Options));
    }
}
