using ExplainApi.Core.Models;
using ExplainApi.Core.Segmentation;

namespace ExplainApi.Core.Tests.Segmentation;

public sealed class ImageLabelsTests
{
    [Fact]
    public void A_multi_hot_vector_gives_the_classes_that_are_set()
    {
        Assert.Equal([0, 2], ImageLabels.FromMultiHot([1f, 0f, 1f]));
        Assert.Empty(ImageLabels.FromMultiHot([0f, 0f, 0f]));
    }

    [Fact]
    public void A_sigmoid_classifier_asserts_every_class_at_or_above_the_threshold_possibly_none()
    {
        float[] logits = [2f, -2f, 0f]; // σ = .88, .12, .5

        Assert.Equal([0, 2], ImageLabels.Predicted(logits, OutputActivation.Sigmoid));
        Assert.Equal([0], ImageLabels.Predicted(logits, OutputActivation.Sigmoid, threshold: 0.6));
        Assert.Empty(ImageLabels.Predicted([-3f, -1f], OutputActivation.Sigmoid));
    }

    [Fact]
    public void A_softmax_classifier_asserts_its_one_top_class_whatever_the_threshold()
    {
        Assert.Equal([1], ImageLabels.Predicted([-3f, -1f, -2f], OutputActivation.Softmax, threshold: 0.99));
    }

    [Fact]
    public void A_threshold_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageLabels.Predicted([1f], OutputActivation.Sigmoid, threshold: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageLabels.Predicted([1f], OutputActivation.Sigmoid, threshold: double.NaN));
    }
}
