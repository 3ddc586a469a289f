using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Tests.Saliency.Perturbation;

public class ForwardContextTests
{
    [Fact]
    public void Softmax_sums_to_one_and_survives_large_logits()
    {
        var p = Softmax.Of([1000f, 1000f, -1000f]);

        Assert.Equal(1.0, p.Sum(), 1e-12);
        Assert.Equal(0.5, p[0], 1e-12);
        Assert.Equal(0.0, p[2], 1e-12);
    }

    [Fact]
    public void Items_reach_the_model_in_order_and_in_batches_of_at_most_max_batch()
    {
        var model = new TinyLinearModel();
        var seen = new List<int>();
        var scores = model.Context(maxBatch: 4).TargetProbabilities(10, 1, (i, destination) => seen.Add(i));

        Assert.Equal(Enumerable.Range(0, 10), seen);
        Assert.Equal([4, 4, 2], model.BatchSizes);
        Assert.All(scores, s => Assert.Equal(0.5, s, 1e-12));
    }

    [Fact]
    public void A_model_that_returns_the_wrong_number_of_logits_is_reported()
    {
        var context = new ForwardContext(1, 2, 2, 2, (_, batch) => new float[batch * 3]);

        Assert.Throws<InvalidOperationException>(() => context.Probabilities(new float[4]));
    }

    [Fact]
    public void A_model_that_returns_nan_is_reported()
    {
        var context = new ForwardContext(1, 2, 2, 2, (_, batch) => Enumerable.Repeat(float.NaN, batch * 2).ToArray());

        Assert.Throws<InvalidOperationException>(() => context.TargetProbabilities(3, 0, (_, _) => { }));
    }

    [Fact]
    public void Parallel_batches_give_each_item_its_own_score_in_order()
    {
        // Logit of class 1 = the item's first value, so every score says which item it belongs to.
        static float[] Forward(float[] inputs, int batch) =>
            [.. Enumerable.Range(0, batch).SelectMany(b => new[] { 0f, inputs[b * 4] / 10f })];
        var sequential = new ForwardContext(1, 2, 2, 2, Forward, maxBatch: 3);
        var parallel = new ForwardContext(1, 2, 2, 2, Forward, maxBatch: 3) { Parallelism = 4 };
        var written = new System.Collections.Concurrent.ConcurrentBag<int>();

        var expected = sequential.TargetProbabilities(11, 1, (i, destination) => destination[0] = i);
        var actual = parallel.TargetProbabilities(11, 1, (i, destination) => { written.Add(i); destination[0] = i; });

        Assert.Equal(expected, actual);
        Assert.Equal(Enumerable.Range(0, 11), written.Order());
        Assert.True(actual[10] > actual[0]);
    }

    [Fact]
    public void A_failure_in_a_parallel_batch_is_thrown_as_itself()
    {
        var context = new ForwardContext(1, 2, 2, 2, (_, batch) => Enumerable.Repeat(float.NaN, batch * 2).ToArray(), maxBatch: 2) { Parallelism = 2 };

        Assert.Throws<InvalidOperationException>(() => context.TargetProbabilities(8, 0, (_, _) => { }));
    }
}
