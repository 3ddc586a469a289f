using ExplainApi.Core.Saliency;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Gradients;
using ExplainApi.Torch.Tests.Explaining;
using ExplainApi.Torch.Tests.Training.Classifier;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Saliency;

/// <summary>
/// Every registered method, run through <see cref="ExplanationContext"/> on a TorchSharp-backed model, against
/// the same formula written directly in tensors (<see cref="CamReferences"/>, <see cref="InputReferences"/>).
/// MaxBatch 4 makes our side split its passes while the references run each in one batch.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)] // TinyCamNet's constructors draw from libtorch's global generator
public sealed class SaliencyReferenceTests
{
    private const double Tolerance = 1e-4;

    private static readonly SaliencyOptions Options = new() { SmoothGradSamples = 10, IntegratedGradientsSteps = 16, RiseMasks = 120, Seed = 11 };

    public static TheoryData<string, int> Cases
    {
        get
        {
            var cases = new TheoryData<string, int>();
            foreach (var method in SaliencyMethods.All)
            {
                for (var target = 0; target < TinyCamNet.Classes; target++)
                {
                    cases.Add(method.Name, target);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Our_map_equals_a_direct_torch_computation_of_the_same_formula(string name, int target)
    {
        using var net = new TinyCamNet(seed: 5);
        var image = Image();
        Assert.True(SaliencyMethods.TryGet(name, out var method));

        var ours = method.Compute(new ExplanationContext(new TorchExplainableModel(net, maxBatch: 4), image, target, Options));
        float[] expected;
        using (NewDisposeScope())
        {
            expected = ReferenceTensors.Values(Reference(name, net, image, target));
        }

        Assert.True(expected.Max() > expected.Min(), $"the reference {name} map for class {target} is constant: the comparison would be vacuous");
        var scale = expected.Max(v => Math.Abs(v));
        AssertClose(expected, ours.Raw, Tolerance * scale, "raw");
        AssertClose(MinMax(expected), ours.Normalized, Tolerance, "normalised");
    }

    [Fact]
    public void The_completeness_gap_of_integrated_gradients_is_the_one_torch_finds()
    {
        using var net = new TinyCamNet(seed: 5);
        var image = Image();

        var ours = new IntegratedGradients().Compute(new ExplanationContext(new TorchExplainableModel(net, 4), image, 1, Options));
        double expected;
        using (NewDisposeScope())
        {
            expected = InputReferences.IntegratedGradients(net, image, 1, Options.IntegratedGradientsSteps).Gap;
        }

        Assert.Equal(expected, ours.Details[IntegratedGradients.CompletenessGap], 1e-4);
    }

    [Fact]
    public void Running_every_method_leaves_no_live_tensors_behind()
    {
        using var net = new TinyCamNet(seed: 5);
        var model = new TorchExplainableModel(net, maxBatch: 4);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var context = new ExplanationContext(model, Image(), 1, Options);
        var maps = SaliencyMethods.All.Select(m => m.Compute(context)).ToList();

        Assert.Equal(14, maps.Count);
        var logits = model.Forward(Image(), 1).Logits;
        Assert.True(logits[1] < 0, $"class 1 should have a negative logit: {string.Join(", ", logits)}");
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static Tensor Reference(string name, TinyCamNet net, float[] image, int c) => name switch
    {
        "cam" => CamReferences.Cam(net, image, c),
        "gradcam" => CamReferences.GradCam(net, image, c),
        "gradcampp" => CamReferences.GradCamPlusPlus(net, image, c),
        "xgradcam" => CamReferences.XGradCam(net, image, c),
        "layercam" => CamReferences.LayerCam(net, image, c),
        "hirescam" => CamReferences.HiResCam(net, image, c),
        "scorecam" => CamReferences.ScoreCam(net, image, c),
        "ablationcam" => CamReferences.AblationCam(net, image, c),
        "eigencam" => CamReferences.EigenCam(net, image),
        "gradient" => InputReferences.Gradient(net, image, c),
        "smoothgrad" => InputReferences.SmoothGrad(net, image, c, Options.SmoothGradSamples, Options.SmoothGradNoise, Options.Seed),
        "integratedgradients" => InputReferences.IntegratedGradients(net, image, c, Options.IntegratedGradientsSteps).Map,
        "occlusion" => InputReferences.Occlusion(net, image, c, side: 2, stride: 1), // round(12/8) and half of it
        "rise" => InputReferences.Rise(net, image, c, Options.RiseMasks, Options.Seed, Options.RiseScoring),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No reference for this method."),
    };

    // A seeded positive image with a brighter square, so the maps have structure.
    private static float[] Image()
    {
        var random = new Random(21);
        const int size = TinyCamNet.Size;
        return [.. Enumerable.Range(0, TinyCamNet.Channels * size * size).Select(i =>
            (i / size % size is >= 3 and < 7 && i % size is >= 6 and < 10 ? 0.7f : 0f) + (0.3f * random.NextSingle()))];
    }

    private static float[] MinMax(float[] values)
    {
        var (min, max) = (values.Min(), values.Max());
        return [.. values.Select(v => max > min ? (float)((v - (double)min) / (max - (double)min)) : 0f)];
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = Enumerable.Range(0, expected.Length).MaxBy(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(
            Math.Abs(expected[worst] - actual[worst]) <= tolerance,
            $"{what} differs most at {worst}: expected {expected[worst]}, got {actual[worst]} (tolerance {tolerance:g3})");
    }
}
