using System.Text.Json;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public sealed class SegmentationConfusionTests
{
    //               pixel: 0  1  2  3  4  5  6  7
    private static readonly byte[] Truth = [0, 0, 0, 1, 1, 1, 2, 2];
    private static readonly byte[] Predicted = [2, 1, 0, 1, 1, 0, 2, 1];

    [Fact]
    public void The_matrix_counts_truth_by_prediction_with_background_included()
    {
        var confusion = new SegmentationConfusion(2);
        confusion.Add(Truth, Predicted);

        long[][] expected = [[1, 1, 1], [1, 2, 0], [0, 1, 1]];
        Assert.Equal(expected, confusion.Metrics().Confusion);
        Assert.Equal(1, confusion.Images);
    }

    [Fact]
    public void Iou_dice_accuracy_and_foreground_precision_recall_match_the_hand_computed_values()
    {
        var confusion = new SegmentationConfusion(2);
        confusion.Add(Truth, Predicted);

        var m = confusion.Metrics();

        // Truth counts 3, 3, 2; predicted 2, 4, 2; TP 1, 2, 1. IoU = TP/(T + P − TP), Dice = 2TP/(T + P).
        Assert.Equal([0.25, 0.4, 1.0 / 3], m.Labels.Select(l => l.Iou!.Value), new Tolerance());
        Assert.Equal([0.4, 4.0 / 7, 0.5], m.Labels.Select(l => l.Dice!.Value), new Tolerance());
        Assert.Equal((0.25 + 0.4 + (1.0 / 3)) / 3, m.MeanIou!.Value, 12);
        Assert.Equal(0.5, m.PixelAccuracy);
        Assert.Equal(3.0 / 6, m.ForegroundPrecision!.Value, 12); // TP 2 + 1 over 6 pixels predicted 1 or 2
        Assert.Equal(3.0 / 5, m.ForegroundRecall!.Value, 12); // over 5 pixels whose truth is 1 or 2
        Assert.Equal(8, m.Pixels);
    }

    [Fact]
    public void A_label_absent_from_truth_and_prediction_is_left_out_of_the_mean_while_a_false_positive_only_label_counts_as_zero()
    {
        var confusion = new SegmentationConfusion(3);
        confusion.Add([0, 0, 1, 1], [0, 2, 1, 1]);

        var m = confusion.Metrics();

        Assert.Null(m.Labels[3].Iou);
        Assert.Null(m.Labels[3].Dice);
        Assert.Equal(0.0, m.Labels[2].Iou);
        Assert.Equal((0.5 + 1 + 0) / 3, m.MeanIou!.Value, 12);
    }

    [Fact]
    public void The_split_accumulates_pixels_not_per_image_means_and_matrices_merge()
    {
        var whole = new SegmentationConfusion(2);
        whole.Add(Truth, Predicted);
        var (first, second) = (new SegmentationConfusion(2), new SegmentationConfusion(2));
        first.Add(Truth.AsSpan(0, 3), Predicted.AsSpan(0, 3));
        second.Add(Truth.AsSpan(3), Predicted.AsSpan(3));
        first.Add(second);

        Assert.Equal(whole.Metrics().Confusion, first.Metrics().Confusion);
        Assert.Equal(2, first.Images);
    }

    [Fact]
    public void An_empty_matrix_has_no_scores_and_serialises_them_as_null()
    {
        var m = new SegmentationConfusion(1).Metrics();

        Assert.Null(m.MeanIou);
        Assert.Null(m.PixelAccuracy);
        Assert.Null(m.ForegroundPrecision);
        var json = JsonSerializer.Serialize(m, JsonSerializerOptions.Web);
        Assert.Contains("\"meanIou\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Maps_of_different_sizes_or_with_unknown_labels_are_refused()
    {
        var confusion = new SegmentationConfusion(2);

        Assert.Throws<ArgumentException>(() => confusion.Add([0, 1], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => confusion.Add([0, 3], [0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => confusion.Add([0, 1], [0, 3]));
        Assert.Equal(0, confusion.Images);
    }

    private sealed class Tolerance : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}
