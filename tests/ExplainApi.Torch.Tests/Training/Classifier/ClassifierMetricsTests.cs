using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Torch.Tests.Training.Classifier;

public sealed class ClassifierMetricsTests
{
    [Fact]
    public void Balanced_accuracy_is_the_mean_recall_of_the_classes_present()
    {
        // Three of class 0 (all right), one of class 1 (wrong), none of class 2.
        float[] probabilities = [0.9f, 0.1f, 0, 0.8f, 0.2f, 0, 0.6f, 0.4f, 0, 0.7f, 0.3f, 0];

        var metrics = ClassifierMetrics.From(probabilities, [0, 0, 0, 1], classes: 3, loss: 0.5);

        Assert.Equal(0.75, metrics.Accuracy);
        Assert.Equal(0.5, metrics.BalancedAccuracy);
        Assert.Equal(2.0 / 3, metrics.Auroc[0], 12); // class 0 scores 0.9, 0.8, 0.6 against 0.7: two of three pairs ordered
        Assert.True(double.IsNaN(metrics.Auroc[2]));
        var reported = metrics.ToDictionary(["a", "b", "c"]);
        Assert.DoesNotContain("auroc.c", reported.Keys); // undefined metrics are left out, not NaN
        Assert.Equal(0.5, reported["loss"]);
        Assert.Equal(0.75, metrics.ToDictionary(["a", "b", "c"], "validation")["validationAccuracy"]);
    }
}
