using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;

namespace ExplainApi.Core.Tests.DifferenceMaps;

public sealed class DifferenceSummarizerTests
{
    private readonly SquaresDataset _squares = new(count: 12, size: 16, seed: 5);

    [Fact]
    public void The_mean_and_std_are_those_of_the_maps_of_the_from_class_and_the_matrices_count_before_and_after()
    {
        var translator = new MaskTranslator(_squares);
        var images = DifferenceSummarizer.OfClass(_squares, Enumerable.Range(0, _squares.Count).ToArray(), "abnormal");

        var summary = DifferenceSummarizer.Summarize(translator, new LookupClassifier(_squares), _squares, images, batch: 4);

        Assert.Equal(6, summary.Images);
        Assert.Equal(2, translator.Calls); // 6 images in batches of 4
        var masks = images.Select(i => _squares.Get(i).Mask!).ToList();
        for (var p = 0; p < 16 * 16; p++)
        {
            var values = masks.Select(m => -0.5 * m[p]).ToList();
            var mean = values.Average();
            Assert.Equal(mean, summary.Mean[p], 1e-6);
            Assert.Equal(Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count), summary.StandardDeviation[p], 1e-6);
        }

        Assert.Equal([[0, 0], [0, 6]], summary.Before!.Counts.Select(r => r.ToArray()));
        Assert.Equal([[6, 0], [0, 0]], summary.After!.Counts.Select(r => r.ToArray())); // expected: the target class (normal)
        Assert.Equal(1.0, summary.FlipRate);
    }

    [Fact]
    public void Without_a_classifier_there_are_no_matrices()
    {
        var summary = DifferenceSummarizer.Summarize(new MaskTranslator(_squares), null, _squares, [1, 3]);

        Assert.Null(summary.Before);
        Assert.True(double.IsNaN(summary.FlipRate));
        Assert.Throws<ArgumentException>(() => DifferenceSummarizer.OfClass(_squares, [0, 1], "sick"));
    }
}
