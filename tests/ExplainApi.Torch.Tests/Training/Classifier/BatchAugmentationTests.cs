using ExplainApi.Core.Datasets;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Tests.Training.Classifier;

public sealed class BatchAugmentationTests
{
    [Fact]
    public void Augmentation_shifts_by_at_most_4_px_with_replicated_edges_or_flips_and_is_the_same_for_the_same_seed()
    {
        using var scope = NewDisposeScope();
        var inputs = arange(4 * 2 * 10 * 12, dtype: ScalarType.Float32).reshape(4, 2, 10, 12);

        var a = BatchAugmentation.Apply(inputs, new SplitMix64(9));
        var b = BatchAugmentation.Apply(inputs, new SplitMix64(9));

        Assert.Equal(inputs.shape, a.shape);
        Assert.True(a.eq(b).all().item<bool>());
        var padded = nn.functional.pad(inputs, [4, 4, 4, 4], PaddingModes.Replicate);
        for (var n = 0; n < 4; n++)
        {
            var candidates = from dy in Enumerable.Range(0, 9)
                             from dx in Enumerable.Range(0, 9)
                             from flip in new[] { false, true }
                             let crop = padded[n].narrow(1, dy, 10).narrow(2, dx, 12)
                             select flip ? crop.flip(2) : crop;
            Assert.Contains(candidates, c => c.eq(a[n]).all().item<bool>());
        }
    }
}
