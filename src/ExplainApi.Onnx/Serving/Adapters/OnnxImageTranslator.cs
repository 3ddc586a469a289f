using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;

namespace ExplainApi.Onnx.Serving.Adapters;

/// <summary>
/// One direction of a served difference-map model: the generator graph of <see cref="Direction"/>, run in batches of at
/// most <see cref="MaxBatch"/> under the version's lease (an evicted version throws <see cref="ObjectDisposedException"/>).
/// </summary>
internal sealed class OnnxImageTranslator(LoadedModel model, DifferenceDirection direction, bool fixedBatchOfOne) : IImageTranslator
{
    public const int MaxBatch = 16;

    public DifferenceDirection Direction => direction;

    public int Channels => model.Manifest.Input.Channels;

    public int Height => model.Manifest.Input.Height;

    public int Width => model.Manifest.Input.Width;

    public float[] Translate(float[] images, int count)
    {
        ArgumentNullException.ThrowIfNull(images);
        var item = Channels * Height * Width;
        if (count < 1 || images.Length != (long)count * item)
        {
            throw new ArgumentException($"Expected {count} images of {Channels}×{Height}×{Width} values, got {images.Length} values.", nameof(images));
        }

        var batch = fixedBatchOfOne ? 1 : MaxBatch;
        var translated = new float[images.Length];
        string[] fetch = [DifferenceMapAdapter.OutputTensor];
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            var chunk = n == count ? images : images.AsSpan(start * item, n * item).ToArray();
            var output = model.Run(direction.Graph, chunk, [n, Channels, Height, Width], fetch)[0];
            if (output.Values.Length != n * item)
            {
                throw new InvalidOperationException($"Generator '{direction.Graph}' returned {output.Values.Length} values for {n} image(s) of {item}.");
            }

            output.Values.CopyTo(translated, start * item);
        }

        return translated;
    }
}
