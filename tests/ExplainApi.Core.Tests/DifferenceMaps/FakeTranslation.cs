using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Tests.DifferenceMaps;

/// <summary>
/// A translator whose answer is known: it recognises each dataset image it is given and returns
/// image + <see cref="Factor"/>·mask (−0.5: removes the squares' boxes up to scale, the perfect map).
/// </summary>
internal sealed class MaskTranslator(IDataset dataset, float factor = -0.5f) : IImageTranslator
{
    public float Factor => factor;

    public DifferenceDirection Direction { get; } = new("b2a", "generator", dataset.ClassNames[1], dataset.ClassNames[0]);

    public int Channels => dataset.Channels;

    public int Height => dataset.Height;

    public int Width => dataset.Width;

    public int Calls { get; private set; }

    public float[] Translate(float[] images, int count)
    {
        Calls++;
        var size = Channels * Height * Width;
        var output = new float[images.Length];
        for (var n = 0; n < count; n++)
        {
            var image = images.AsSpan(n * size, size);
            var mask = Lookup.Find(dataset, image).Mask!;
            for (var i = 0; i < size; i++)
            {
                output[(n * size) + i] = image[i] + (factor * mask[i % mask.Length]);
            }
        }

        return output;
    }
}

/// <summary>A "classifier" that says class 1 exactly for the dataset's own class-1 images and 0 for anything else.</summary>
internal sealed class LookupClassifier(IDataset dataset) : IExplainableModel
{
    public ModelShape Shape => new(dataset.Channels, dataset.Height, dataset.Width, 2);

    public string? TargetLayer => null;

    public bool HasActivations => false;

    public bool HasGradients => false;

    public bool HasLinearHead => false;

    public bool HasSeparableHead => false;

    public int MaxBatch => 8;

    public ForwardPass Forward(float[] inputs, int batch)
    {
        var logits = new float[2 * batch];
        for (var n = 0; n < batch; n++)
        {
            var found = Lookup.TryFind(dataset, inputs.AsSpan(n * Shape.ItemSize, Shape.ItemSize));
            logits[(2 * n) + (found?.Label == 1 ? 1 : 0)] = 1f;
        }

        return new ForwardPass(logits, null, null);
    }

    public GradientPass Gradients(float[] inputs, int batch, int[] targets) => throw new NotSupportedException();

    public float[] HeadWeights(int targetClass) => throw new NotSupportedException();

    public float[] HeadLogits(float[] activations, int batch) => throw new NotSupportedException();
}

internal static class Lookup
{
    public static Sample? TryFind(IDataset dataset, ReadOnlySpan<float> image)
    {
        for (var i = 0; i < dataset.Count; i++)
        {
            var sample = dataset.Get(i);
            if (image.SequenceEqual(sample.Pixels))
            {
                return sample;
            }
        }

        return null;
    }

    public static Sample Find(IDataset dataset, ReadOnlySpan<float> image) =>
        TryFind(dataset, image) ?? throw new InvalidOperationException("Not an image of the dataset.");
}
