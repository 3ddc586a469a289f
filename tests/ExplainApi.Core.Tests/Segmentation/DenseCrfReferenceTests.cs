using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public class DenseCrfReferenceTests
{
    private const int Side = 12, Pixels = Side * Side, Labels = 3;

    // The lattice against exact kernels (same features, normalisation and update) on seeded 12×12 images. Measured:
    // grey agrees everywhere with |ΔQ| ≤ 0.0005; colour disagrees on 1 pixel of 144 each, mean |ΔQ| ≤ 0.005.
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    public void Mean_field_with_the_default_parameters_matches_dense_inference(int channels, int seed)
    {
        var (image, truth) = CrfTestData.Shapes(seed, Side, Side, channels, Labels, shapes: 2);
        var unary = CrfUnary.FromLabels(CrfTestData.Corrupt(truth, Labels, seed, Side, Side), Labels, 0.7f);

        var (agreement, meanDifference, _) = Compare(image, unary, DenseCrfParameters.Default);

        Assert.InRange(agreement, 0.98, 1);
        Assert.InRange(meanDifference, 0, 0.01);
    }

    // Random unaries with weights 1 keep mean field away from the ties that let one pixel flip: Q itself is then close
    // (measured max |ΔQ| ≤ 0.043, mean ≤ 0.002, agreement ≥ 142/144).
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    public void Mean_field_marginals_match_dense_inference_with_weak_kernels(int channels, int seed)
    {
        var (image, _) = CrfTestData.Shapes(seed, Side, Side, channels, Labels, shapes: 2);
        var unary = CrfUnary.FromProbabilities(CrfTestData.Probabilities(seed + 10, Labels, Pixels));

        var (agreement, meanDifference, maxDifference) = Compare(image, unary, new DenseCrfParameters(SmoothnessWeight: 1, AppearanceWeight: 1));

        Assert.InRange(agreement, 0.97, 1);
        Assert.InRange(meanDifference, 0, 0.005);
        Assert.InRange(maxDifference, 0, 0.06);
    }

    private static (double Agreement, double MeanDifference, double MaxDifference) Compare(CrfImage image, float[] unary, DenseCrfParameters parameters)
    {
        var result = new DenseCrf(image, Labels, parameters).Infer(unary);
        var exact = CrfTestData.MeanField(image, unary, Labels, parameters);
        double agree = 0, sum = 0, max = 0;
        for (var i = 0; i < Pixels; i++)
        {
            var best = 0;
            for (var c = 0; c < Labels; c++)
            {
                best = exact[(i * Labels) + c] > exact[(i * Labels) + best] ? c : best;
                var difference = Math.Abs(exact[(i * Labels) + c] - result.Probabilities[(c * Pixels) + i]);
                (sum, max) = (sum + difference, Math.Max(max, difference));
            }

            agree += best == result.LabelMap[i] ? 1 : 0;
        }

        return (agree / Pixels, sum / (Pixels * Labels), max);
    }
}
