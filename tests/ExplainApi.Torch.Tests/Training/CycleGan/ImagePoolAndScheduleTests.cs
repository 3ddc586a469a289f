using ExplainApi.Torch.Training.CycleGan;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.CycleGan;

public sealed class ImagePoolAndScheduleTests
{
    [Fact]
    public void Until_full_the_pool_stores_and_returns_each_fake()
    {
        using var pool = new ImagePool(3);
        using var scope = NewDisposeScope();

        var returned = pool.Query(Images(0, 2), UnpairedBatches.For(1, 0, 1));
        var second = pool.Query(Images(2, 1), UnpairedBatches.For(1, 1, 1));

        Assert.Equal([0f, 1f], Ids(returned));
        Assert.Equal([2f], Ids(second));
        Assert.Equal(3, pool.Count);
    }

    [Fact]
    public void Once_full_about_half_the_answers_are_stored_fakes_which_the_new_ones_replace_and_the_draws_are_seeded()
    {
        var (answers, swapped) = Run(seed: 4);
        var again = Run(seed: 4);
        var other = Run(seed: 5);

        Assert.Equal(answers, again.Answers);
        Assert.NotEqual(answers, other.Answers);
        Assert.InRange(swapped / 400.0, 0.42, 0.58); // p = ½ per image; 400 draws: ±4σ
    }

    [Fact]
    public void The_pool_content_survives_a_checkpoint()
    {
        using var pool = new ImagePool(4);
        using var restored = new ImagePool(4);
        using var scope = NewDisposeScope();
        pool.Query(Images(10, 3), UnpairedBatches.For(1, 0, 1));

        var saved = pool.Checkpoint("pool").ToDictionary(t => t.Name);
        restored.Restore(saved, "pool");

        Assert.Equal([3L, 1, 2, 2], saved["pool"].Shape);
        Assert.Equal(3, restored.Count);
        Assert.Equal(saved["pool"].Values, restored.Checkpoint("pool").Single().Values);
    }

    [Fact]
    public void The_learning_rate_is_constant_then_falls_linearly_to_zero()
    {
        double[] factors = [.. Enumerable.Range(0, 8).Select(t => LinearDecay.Factor(t, constant: 4, decay: 4))];

        Assert.Equal([1, 1, 1, 1, 0.8, 0.6, 0.4, 0.2], factors.Select(f => Math.Round(f, 12)));
        Assert.Equal(0, LinearDecay.Factor(8, 4, 4));
        Assert.Equal(1, LinearDecay.Factor(99, 100, 0));
    }

    /// <summary>Fills a pool of 5, then queries 400 single images with ids 100…; returns the ids answered and how many were stored ones.</summary>
    private static (float[] Answers, int Swapped) Run(int seed)
    {
        using var pool = new ImagePool(5);
        using var scope = NewDisposeScope();
        pool.Query(Images(0, 5), UnpairedBatches.For(seed, 0, 1));
        var answers = Enumerable.Range(0, 400).Select(i => Ids(pool.Query(Images(100 + i, 1), UnpairedBatches.For(seed, i + 1, 1)))[0]).ToArray();
        return (answers, answers.Select((id, i) => id != 100 + i ? 1 : 0).Sum());
    }

    /// <summary>[count, 1, 2, 2] images whose pixels all equal their id (first + n).</summary>
    private static Tensor Images(int first, int count) => arange(first, first + count, ScalarType.Float32).reshape(count, 1, 1, 1).expand(count, 1, 2, 2).contiguous();

    private static float[] Ids(Tensor images) => [.. images[TensorIndex.Colon, 0, 0, 0].contiguous().data<float>()];
}
