using ExplainApi.Core.Datasets.Lesions;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public sealed class SegmentationEvaluatorTests
{
    private const int Side = 48;

    private static readonly LesionsDataset Lesions = new(new LesionsOptions { Count = 12, Size = Side, Seed = 2 });
    private static readonly string[] Names = ["background", "blob", "thin", "tiny"];
    private static readonly EvaluationSubject Subject = new("seg", 1, "synthetic:lesions", "all images");

    /// <summary>A model that answers each image's true labels as one-hot probabilities, in the order the evaluator asks.</summary>
    private static float[] Oracle(float[] images, int count, int[] indices, ref int next)
    {
        var plane = Side * Side;
        var output = new float[count * Names.Length * plane];
        for (var n = 0; n < count; n++, next++)
        {
            var truth = Lesions.Get(indices[next]).Segmentation!;
            for (var p = 0; p < plane; p++)
            {
                output[(((n * Names.Length) + truth[p]) * plane) + p] = 1f;
            }
        }

        return output;
    }

    [Fact]
    public void A_model_that_answers_the_truth_scores_one_in_batches_that_do_not_divide_the_split()
    {
        int[] images = [0, 1, 2, 3, 4, 5, 6];
        var next = 0;
        var table = SegmentationEvaluator.Evaluate((x, n) => Oracle(x, n, images, ref next), Lesions, images, Names, batch: 3, Subject);
        Assert.Equal(7, table.Metrics.Images);
        Assert.Equal(1.0, table.Metrics.MeanIou);
        Assert.Equal(1.0, table.Metrics.PixelAccuracy);
        Assert.All(table.Metrics.Labels.Where(l => l.TruthPixels > 0), l => Assert.Equal(1.0, l.Dice));
    }

    [Fact]
    public void An_all_background_model_scores_background_only_and_every_class_has_a_markdown_row()
    {
        var table = SegmentationEvaluator.Evaluate((x, n) =>
        {
            var output = new float[n * Names.Length * Side * Side];
            Array.Fill(output, 1f, 0, Side * Side); // first image's background plane; the rest tie and argmax picks background
            return output;
        }, Lesions, [0, 1], Names, batch: 4, Subject);
        var m = table.Metrics;
        Assert.Equal(0.0, m.Labels[1].Iou ?? 0.0);
        Assert.Equal(m.Labels[0].TruePositives / (double)m.Pixels, m.PixelAccuracy);
        var markdown = SegmentationEvaluationMarkdown.Write(table);
        Assert.All(Names, name => Assert.Contains($"| {name} |", markdown, StringComparison.Ordinal));
        Assert.Contains("\"task\": \"segmentation\"", SegmentationEvaluationJson.Write(table), StringComparison.Ordinal);
    }
}
