using ExplainApi.Core.DifferenceMaps;

namespace ExplainApi.Core.Tests.DifferenceMaps;

public sealed class PixelMomentsTests
{
    [Fact]
    public void Welford_mean_and_std_equal_the_two_pass_values_on_random_maps()
    {
        var random = new Random(7);
        var maps = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 30).Select(_ => (float)((random.NextDouble() * 4) + 1000)).ToArray()).ToList();
        var moments = new PixelMoments(30);
        maps.ForEach(m => moments.Add(m));

        var (mean, std) = (moments.Mean(), moments.StandardDeviation());
        for (var i = 0; i < 30; i++)
        {
            var values = maps.Select(m => (double)m[i]).ToList();
            var twoPassMean = values.Average();
            var twoPassStd = Math.Sqrt(values.Sum(v => (v - twoPassMean) * (v - twoPassMean)) / values.Count);
            Assert.Equal(twoPassMean, mean[i], 1e-3); // float output: ~6e-5 at 1000
            Assert.Equal(twoPassStd, std[i], 1e-5);
        }

        Assert.Equal(200, moments.Count);
    }

    [Fact]
    public void One_map_has_itself_as_mean_and_zero_spread_and_a_map_of_another_size_is_refused()
    {
        var moments = new PixelMoments(3);
        moments.Add([1f, -2f, 3f]);

        Assert.Equal([1f, -2f, 3f], moments.Mean());
        Assert.Equal([0f, 0f, 0f], moments.StandardDeviation());
        Assert.Throws<ArgumentException>(() => moments.Add([1f, 2f]));
    }

    [Fact]
    public void A_confusion_matrix_counts_expected_against_predicted_and_its_diagonal_is_the_accuracy()
    {
        var matrix = new ConfusionMatrix(["normal", "abnormal"]);
        foreach (var (expected, predicted) in new[] { (0, 0), (0, 1), (1, 1), (1, 1), (1, 0) })
        {
            matrix.Add(expected, predicted);
        }

        Assert.Equal([1, 1], matrix.Counts[0]);
        Assert.Equal([1, 2], matrix.Counts[1]);
        Assert.Equal(5, matrix.Total);
        Assert.Equal(0.6, matrix.Accuracy, 12);
        Assert.True(double.IsNaN(new ConfusionMatrix(["a"]).Accuracy));
    }
}
