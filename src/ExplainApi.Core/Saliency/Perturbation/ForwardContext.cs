using ExplainApi.Core.Models;
using ExplainApi.Core.Numerics;

namespace ExplainApi.Core.Saliency.Perturbation;

/// <summary>
/// A classifier's batched forward function and its input and output shapes. Perturbation methods
/// describe their masked copies as an <see cref="ItemWriter"/>; this class packs them into batches of
/// at most <see cref="MaxBatch"/> items (one forward call each) and returns p_c per item: softmax_c, or σ(y_c) for a
/// multi-label classifier (<see cref="Activation"/>). The optional
/// cancellation token is checked before every forward call, so a cancelled explanation stops between batches.
/// </summary>
public sealed class ForwardContext
{
    private readonly BatchForward forward;

    public ForwardContext(int channels, int height, int width, int classes, BatchForward forward, int maxBatch = 32, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        (Channels, Height, Width, Classes, this.forward, MaxBatch, Cancellation) = (channels, height, width, classes, forward, maxBatch, cancellation);
    }

    /// <summary>How logits become the probabilities this context returns (softmax unless set).</summary>
    public OutputActivation Activation { get; init; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Classes { get; }

    public int MaxBatch { get; }

    /// <summary>Batches <see cref="TargetProbabilities"/> runs at once (default 1); its writer is then called from several threads.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Checked before each forward call (<see cref="OperationCanceledException"/> when cancelled).</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>H·W, the pixels of one plane.</summary>
    public int Pixels => Height * Width;

    /// <summary>C·H·W, the floats of one item.</summary>
    public int ItemSize => Channels * Pixels;

    /// <summary>p(f(image)), one forward call.</summary>
    public double[] Probabilities(float[] image)
    {
        CheckImage(image);
        return ClassProbabilities.Of(Run(image, 1), Activation);
    }

    /// <summary>p(f(x_i))_c for the <paramref name="count"/> items <paramref name="write"/> produces, in ⌈count / MaxBatch⌉ forward calls.</summary>
    public double[] TargetProbabilities(int count, int targetClass, ItemWriter write)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckClass(targetClass);
        ArgumentNullException.ThrowIfNull(write);
        var result = new double[count];
        var batches = (count + MaxBatch - 1) / MaxBatch;
        // Whole batches in parallel, each with its own buffer: with a thread plan of single-threaded runs this is what lets
        // one Score-CAM use every core (the writers only read shared state and write their own item).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism), CancellationToken = Cancellation };
        void RunBatch(int index)
        {
            var start = index * MaxBatch;
            var batch = Math.Min(MaxBatch, count - start);
            var buffer = new float[batch * ItemSize];
            for (var b = 0; b < batch; b++)
            {
                write(start + b, buffer.AsSpan(b * ItemSize, ItemSize));
            }

            var logits = Run(buffer, batch);
            for (var b = 0; b < batch; b++)
            {
                result[start + b] = ClassProbabilities.Of(logits.AsSpan(b * Classes, Classes), Activation)[targetClass];
            }
        }

        if (parallel.MaxDegreeOfParallelism == 1 || batches == 1)
        {
            for (var index = 0; index < batches; index++)
            {
                RunBatch(index);
            }
        }
        else
        {
            try
            {
                Parallel.For(0, batches, parallel, RunBatch);
            }
            catch (AggregateException failed) when (failed.InnerExceptions.Count > 0)
            {
                // Callers handle the first failure as the sequential loop would have thrown it (NaN logits, cancellation).
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.InnerExceptions[0]).Throw();
            }
        }

        return result;
    }

    /// <summary>Throws unless <paramref name="image"/> is one finite C×H×W item.</summary>
    public void CheckImage(float[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length != ItemSize)
        {
            throw new ArgumentException($"Expected {Channels}x{Height}x{Width} values, got {image.Length}.", nameof(image));
        }

        if (!FiniteValues.All(image))
        {
            throw new ArgumentException("The image has a value that is not finite.", nameof(image));
        }
    }

    /// <summary>Throws unless 0 ≤ <paramref name="targetClass"/> &lt; Classes.</summary>
    public void CheckClass(int targetClass)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(targetClass);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(targetClass, Classes);
    }

    private float[] Run(float[] inputs, int batch)
    {
        Cancellation.ThrowIfCancellationRequested();
        var logits = forward(inputs, batch);
        if (logits is null || logits.Length != batch * Classes)
        {
            throw new InvalidOperationException($"The model returned {logits?.Length ?? 0} logits for {batch} items of {Classes} classes.");
        }

        if (!FiniteValues.All(logits))
        {
            throw new InvalidOperationException("The model returned a logit that is not finite.");
        }

        return logits;
    }
}
