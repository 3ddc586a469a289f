using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training.Classifier;

/// <summary>
/// TorchSharp's BatchNorm2d (same buffers and state-dict names, momentum 0.1, eps 1e-5) whose training-mode
/// <c>num_batches_tracked += 1</c> uses a <see cref="LiveScalars"/> scalar instead of TorchSharp's temporary
/// ones, which a concurrent GC could free mid-call (see <see cref="LiveScalars"/>).
/// </summary>
public sealed class KeptAliveBatchNorm2d(long features)
    : BatchNorm(features, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, nameof(BatchNorm2d))
{
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training)
        {
            num_batches_tracked!.add_(LiveScalars.One, LiveScalars.One);
        }

        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum!.Value, eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4)
        {
            throw new ArgumentException($"expected 4D input (got {input.ndim}D input)");
        }
    }
}
