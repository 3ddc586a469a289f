using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Metrics;

namespace ExplainApi.Core.Tests.Saliency;

public class CamTargetSensitivityTests
{
    // Eigen-CAM reads no gradient and no class: it is tested on its own below.
    public static TheoryData<string> ClassSpecific => [.. SaliencyTestData.CapturedCams.Where(m => m.Name != "eigencam").Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(ClassSpecific))]
    public void Favouring_the_top_left_channel_puts_the_maximum_top_left_and_the_other_bottom_right(string name)
    {
        var method = SaliencyTestData.CapturedCam(name);

        var topLeft = PointingGame.ArgMax(method.Compute(SaliencyTestData.TwoBlobs(favoured: 0)).Raw, 32);
        var bottomRight = PointingGame.ArgMax(method.Compute(SaliencyTestData.TwoBlobs(favoured: 1)).Raw, 32);

        Assert.True(topLeft is { Row: < 16, Column: < 16 }, $"{name} favouring channel 0: {topLeft}");
        Assert.True(bottomRight is { Row: >= 16, Column: >= 16 }, $"{name} favouring channel 1: {bottomRight}");
    }

    [Fact]
    public void Eigen_cam_follows_the_dominant_structure_whatever_the_target()
    {
        var twoBlobs = SaliencyTestData.TwoBlobs(favoured: 1);
        // Two copies of the top-left blob and a faint bottom-right one: the first component is top-left.
        var a = twoBlobs.Activations;
        var activations = a[..64].Concat(a[..64].Select(v => 0.9f * v)).Concat(a[64..].Select(v => 0.5f * v)).ToArray();
        var forClass0 = new SaliencyInputs(activations, 3, 8, 8, 32, 32, targetClass: 0);
        var forClass1 = new SaliencyInputs(activations, 3, 8, 8, 32, 32, targetClass: 1, gradients: activations);

        var map = new EigenCam().Compute(forClass0);

        Assert.True(PointingGame.ArgMax(map.Raw, 32) is { Row: < 16, Column: < 16 });
        Assert.Equal(map.Raw, new EigenCam().Compute(forClass1).Raw);
    }
}
