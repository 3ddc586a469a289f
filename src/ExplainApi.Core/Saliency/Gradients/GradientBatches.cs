using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Perturbation;

namespace ExplainApi.Core.Saliency.Gradients;

/// <summary>Receives item <paramref name="index"/>'s ∂y_c/∂x (C×H×W) and logits after a batched gradient pass.</summary>
internal delegate void GradientReader(int index, ReadOnlySpan<float> inputGradient, ReadOnlySpan<float> logits);

/// <summary>
/// The input-gradient methods' many passes (SmoothGrad's noisy copies, Integrated Gradients' path points):
/// items written by an <see cref="ItemWriter"/>, differentiated for the context's one target class, in
/// <see cref="IExplainableModel.Gradients"/> calls of at most <see cref="IExplainableModel.MaxBatch"/> items.
/// </summary>
internal static class GradientBatches
{
    public static void Run(ExplanationContext context, int count, ItemWriter write, GradientReader read)
    {
        var model = context.Model;
        var (itemSize, classes, target) = (model.Shape.ItemSize, model.Shape.Classes, context.TargetClass);
        var maxBatch = Math.Max(1, model.MaxBatch);
        for (var start = 0; start < count; start += maxBatch)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var batch = Math.Min(maxBatch, count - start);
            var inputs = new float[batch * itemSize];
            for (var b = 0; b < batch; b++)
            {
                write(start + b, inputs.AsSpan(b * itemSize, itemSize));
            }

            var targets = new int[batch];
            Array.Fill(targets, target);
            var pass = model.Gradients(inputs, batch, targets);
            ModelOutputs.Check(pass, batch, model.Shape);
            for (var b = 0; b < batch; b++)
            {
                read(start + b, pass.InputGradients.AsSpan(b * itemSize, itemSize), pass.Logits.AsSpan(b * classes, classes));
            }
        }
    }

    /// <summary>Adds max_channel |g| per pixel (Simonyan et al. 2014, §3.1) into <paramref name="map"/> (H×W).</summary>
    public static void AddMaxAbs(ReadOnlySpan<float> gradient, int channels, Span<double> map)
    {
        var pixels = map.Length;
        for (var p = 0; p < pixels; p++)
        {
            var best = 0f;
            for (var c = 0; c < channels; c++)
            {
                best = Math.Max(best, Math.Abs(gradient[(c * pixels) + p]));
            }

            map[p] += best;
        }
    }
}
