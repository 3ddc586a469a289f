using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public class DenseCrfInputTests
{
    private static readonly CrfImage Grey = CrfTestData.Shapes(1, 6, 5, 1, 3).Image;

    [Fact]
    public void A_constant_image_gives_finite_marginals_that_sum_to_one()
    {
        var image = new CrfImage(9, 7, 3, Enumerable.Repeat(128f, 9 * 7 * 3).ToArray());

        var result = DenseCrf.Infer(image, CrfTestData.Probabilities(2, 4, 63), 4);

        AssertMarginals(result);
    }

    [Fact]
    public void A_cancelled_run_stops_before_its_iterations()
    {
        var crf = new DenseCrf(Grey, 3, new DenseCrfParameters());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => crf.Infer(CrfUnary.FromProbabilities(CrfTestData.Probabilities(3, 3, 30)), cancelled.Token));
    }

    [Fact]
    public void One_label_is_certain_everywhere()
    {
        var result = DenseCrf.Infer(Grey, Enumerable.Repeat(1f, 30).ToArray(), 1);

        Assert.All(result.Probabilities, q => Assert.Equal(1f, q));
        Assert.All(result.LabelMap, label => Assert.Equal(0, label));
    }

    [Fact]
    public void All_zero_probabilities_stay_uniform()
    {
        var result = DenseCrf.Infer(Grey, new float[3 * 30], 3);

        Assert.All(result.Probabilities, q => Assert.Equal(1f / 3, q, 5));
        Assert.All(result.LabelMap, label => Assert.Equal(0, label));
    }

    [Fact]
    public void A_single_pixel_keeps_its_unary_ranking()
    {
        var result = DenseCrf.Infer(new CrfImage(1, 1, 1, [42f]), [0.2f, 0.5f, 0.3f], 3);

        AssertMarginals(result);
        Assert.Equal([1], result.LabelMap);
    }

    [Fact]
    public void Twenty_one_labels_give_marginals_that_sum_to_one()
    {
        var (image, _) = CrfTestData.Shapes(4, 20, 24, 3, 21);

        AssertMarginals(DenseCrf.Infer(image, CrfTestData.Probabilities(5, 21, image.PixelCount), 21));
    }

    [Fact]
    public void Nan_probabilities_are_rejected_with_a_client_error()
    {
        var probabilities = CrfTestData.Probabilities(3, 3, 30);
        probabilities[7] = float.NaN;

        Assert.Contains("NaN", CrfUnary.ValidateProbabilities(probabilities, 3, 30));
        Assert.Throws<CrfInputException>(() => DenseCrf.Infer(Grey, probabilities, 3));
    }

    [Theory]
    [InlineData(2, "Expected 2 × 30")] // 3 labels' probabilities declared as 2
    [InlineData(4, "Expected 4 × 30")]
    public void A_label_count_that_does_not_match_the_probabilities_is_rejected(int labels, string message)
    {
        var error = Assert.Throws<CrfInputException>(() => DenseCrf.Infer(Grey, CrfTestData.Probabilities(3, 3, 30), labels));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probabilities_that_do_not_sum_to_one_are_rejected()
    {
        var probabilities = CrfTestData.Probabilities(3, 3, 30);
        probabilities[31] += 0.1f;

        Assert.Contains("sum to", CrfUnary.ValidateProbabilities(probabilities, 3, 30));
    }

    public static TheoryData<DenseCrfParameters> InvalidParameters => new()
    {
        new DenseCrfParameters(SmoothnessTheta: 0),
        new DenseCrfParameters(AppearancePositionTheta: -1),
        new DenseCrfParameters(AppearanceIntensityTheta: float.NaN),
        new DenseCrfParameters(AppearanceWeight: float.PositiveInfinity),
        new DenseCrfParameters(Iterations: -1),
        new DenseCrfParameters(Iterations: 51),
    };

    [Theory]
    [MemberData(nameof(InvalidParameters))]
    public void Invalid_parameters_are_named_by_validate_and_rejected(DenseCrfParameters parameters)
    {
        Assert.NotNull(parameters.Validate());
        Assert.Throws<CrfInputException>(() => new DenseCrf(Grey, 3, parameters));
    }

    [Fact]
    public void The_default_parameters_are_psa_and_ssdd_and_valid()
    {
        Assert.Equal(new DenseCrfParameters(3, 3, 80, 13, 10, 10), DenseCrfParameters.Default);
        Assert.Null(DenseCrfParameters.Default.Validate());
    }

    [Fact]
    public void Unaries_from_labels_follow_pydensecrf()
    {
        var unary = CrfUnary.FromLabels([2, 0, -1], 3, 0.7f);

        float positive = -MathF.Log(0.7f), negative = -MathF.Log(0.15f), unsure = -MathF.Log(1f / 3);
        Assert.Equal([negative, positive, unsure, negative, negative, unsure, positive, negative, unsure], unary);
    }

    [Fact]
    public void Unaries_from_probabilities_clip_at_1e_5()
    {
        Assert.Equal([-MathF.Log(1e-5f), 0f, -MathF.Log(0.25f)], CrfUnary.FromProbabilities([0f, 1f, 0.25f]));
    }

    private static void AssertMarginals(DenseCrfResult result)
    {
        var n = result.Height * result.Width;
        for (var i = 0; i < n; i++)
        {
            var sum = 0f;
            for (var c = 0; c < result.Labels; c++)
            {
                var q = result.Probabilities[(c * n) + i];
                Assert.True(float.IsFinite(q) && q >= 0);
                sum += q;
            }

            Assert.Equal(1f, sum, 4);
        }
    }
}
