using ExplainApi.Core.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.CycleGan;

/// <summary>
/// The history of generated images the discriminator is trained on (Shrivastava et al., CVPR 2017; Zhu et al., §4),
/// as the official ImagePool: until it holds <c>size</c> images each fake is stored and returned; then with probability ½
/// a stored image is returned in its place (and replaced by it), else the fake itself. Draws come from a caller-seeded
/// <see cref="SplitMix64"/>, and the content is saved in the checkpoint, so a resumed run draws what the original would have.
/// </summary>
public sealed class ImagePool(int size) : IDisposable
{
    private readonly List<Tensor> _images = [];

    public int Count => _images.Count;

    /// <param name="fakes">[N, C, H, W] generated images (detached here).</param>
    /// <returns>[N, C, H, W] in the caller's dispose scope.</returns>
    public Tensor Query(Tensor fakes, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(fakes);
        ArgumentNullException.ThrowIfNull(random);
        if (size == 0)
        {
            return fakes.detach();
        }
        var returned = new List<Tensor>();
        for (var n = 0; n < fakes.shape[0]; n++)
        {
            var image = fakes[n].detach();
            if (_images.Count < size)
            {
                _images.Add(image.clone().DetachFromDisposeScope());
                returned.Add(image);
            }
            else if ((random.Next() >> 11) * (1.0 / (1UL << 53)) > 0.5) // uniform [0, 1) from the top 53 bits
            {
                var slot = random.NextInt(size);
                returned.Add(_images[slot].clone());
                _images[slot].Dispose();
                _images[slot] = image.clone().DetachFromDisposeScope();
            }
            else
            {
                returned.Add(image);
            }
        }
        return stack(returned);
    }

    /// <summary>The stored images as one [count, C, H, W] tensor named <paramref name="name"/> (no tensor while empty).</summary>
    public IEnumerable<NamedTensor> Checkpoint(string name)
    {
        if (_images.Count == 0)
        {
            yield break;
        }
        float[] values;
        long[] shape;
        using (NewDisposeScope())
        {
            var all = stack(_images);
            (values, shape) = (LogisticRegressionTrainer.Values(all), all.shape);
        }
        yield return new NamedTensor(name, shape, values);
    }

    public void Restore(IReadOnlyDictionary<string, NamedTensor> saved, string name)
    {
        Clear();
        if (saved.TryGetValue(name, out var images))
        {
            using var scope = NewDisposeScope();
            var all = tensor(images.Values, images.Shape);
            for (var i = 0; i < images.Shape[0]; i++)
            {
                _images.Add(all[i].clone().DetachFromDisposeScope());
            }
        }
    }

    public void Dispose() => Clear();

    private void Clear()
    {
        _images.ForEach(t => t.Dispose());
        _images.Clear();
    }
}
