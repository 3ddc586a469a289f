using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>
/// Occlusion sensitivity (Zeiler &amp; Fergus, "Visualizing and Understanding Convolutional Networks",
/// ECCV 2014, §4.2): slide a square patch filled with <c>baseline</c> over every channel of the image;
/// each pixel's value is the mean, over the patches covering it, of p_c(x) − p_c(x with the patch
/// occluded), p = softmax(f). Signed: a negative value means hiding the pixel raised the score.
/// The patch side defaults to round(min(H, W)/8) and the stride to half of it. Unlike Captum, a last
/// patch is placed flush with the bottom and right edges when the stride does not reach them, so
/// every pixel is covered. The unoccluded image travels in the first batch with the patches.
/// The map is signed (<see cref="SaliencyMap.IsSigned"/>). Through <see cref="ISaliencyMethod"/> the patch and
/// stride of <see cref="SaliencyOptions"/> override this instance's.
/// </summary>
public sealed class Occlusion : ISaliencyMethod
{
    private readonly int? patchSize;
    private readonly int? stride;
    private readonly float baseline;

    public Occlusion(int? patchSize = null, int? stride = null, float baseline = 0f)
    {
        if (patchSize is { } side)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(side, nameof(patchSize));
        }

        if (stride is { } step)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step, nameof(stride));
        }

        if (!float.IsFinite(baseline))
        {
            throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "The baseline must be finite.");
        }

        (this.patchSize, this.stride, this.baseline) = (patchSize, stride, baseline);
    }

    public string Name => "occlusion";

    public SaliencyNeeds Needs => SaliencyNeeds.ForwardOnly;

    /// <summary>One forward per patch position, plus the unoccluded image.</summary>
    public ModelPasses Passes(IExplainableModel model, SaliencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (_, rows, columns) = WithOptions(options).Grid(model.Shape.Height, model.Shape.Width);
        return new(Forward: ((double)rows.Length * columns.Length) + 1);
    }

    public SaliencyMap Compute(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WithOptions(context.Options).Compute(context.Batches, context.Image, context.TargetClass);
    }

    public SaliencyMap Compute(ForwardContext model, float[] image, int targetClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckImage(image);
        model.CheckClass(targetClass);
        var (height, width) = (model.Height, model.Width);
        var (side, rows, columns) = Grid(height, width);
        var patches = rows.Length * columns.Length;

        // Item 0 is the image itself; item i > 0 is patch i − 1, row-major over (row offset, column offset).
        var scores = model.TargetProbabilities(patches + 1, targetClass, (index, destination) =>
        {
            image.CopyTo(destination);
            if (index > 0)
            {
                var (top, left) = (rows[(index - 1) / columns.Length], columns[(index - 1) % columns.Length]);
                for (var c = 0; c < model.Channels; c++)
                {
                    for (var y = top; y < top + side; y++)
                    {
                        destination.Slice((c * model.Pixels) + (y * width) + left, side).Fill(baseline);
                    }
                }
            }
        });

        var sum = new double[model.Pixels];
        var count = new int[model.Pixels];
        for (var p = 0; p < patches; p++)
        {
            var drop = scores[0] - scores[p + 1];
            var (top, left) = (rows[p / columns.Length], columns[p % columns.Length]);
            for (var y = top; y < top + side; y++)
            {
                for (var x = left; x < left + side; x++)
                {
                    sum[(y * width) + x] += drop;
                    count[(y * width) + x]++;
                }
            }
        }

        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] /= count[i];
        }

        return RawMaps.Create(Name, targetClass, height, width, sum, signed: true);
    }

    private Occlusion WithOptions(SaliencyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Occlusion(options.OcclusionPatch ?? patchSize, options.OcclusionStride ?? stride, baseline);
    }

    // The patch side and its top and left offsets on an H×W image.
    private (int Side, int[] Rows, int[] Columns) Grid(int height, int width)
    {
        var side = Math.Min(patchSize ?? Math.Max(1, (int)Math.Round(Math.Min(height, width) / 8.0, MidpointRounding.AwayFromZero)), Math.Min(height, width));
        var step = stride ?? Math.Max(1, side / 2);
        return (side, Offsets(height, side, step), Offsets(width, side, step));
    }

    // 0, step, 2·step, … while the patch fits, then one patch flush with the far edge if needed.
    private static int[] Offsets(int size, int side, int step)
    {
        var offsets = new List<int>();
        for (var o = 0; o + side <= size; o += step)
        {
            offsets.Add(o);
        }

        if (offsets[^1] + side < size)
        {
            offsets.Add(size - side);
        }

        return [.. offsets];
    }
}
