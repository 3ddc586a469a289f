using TorchSharp;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>Copies between live tensors and <see cref="NamedTensor"/>s (the checkpoint's float32 state dict).</summary>
internal static class NamedTensors
{
    /// <summary>Float32 copies of <paramref name="tensors"/> named <paramref name="prefix"/> + name (int64 buffers such as num_batches_tracked are converted; exact below 2²⁴).</summary>
    public static List<NamedTensor> Capture(IEnumerable<(string Name, Tensor Tensor)> tensors, string prefix = "")
    {
        var captured = new List<NamedTensor>();
        foreach (var (name, tensor) in tensors)
        {
            using var scope = NewDisposeScope(); // not across a yield: the caller's code would run inside it
            captured.Add(new NamedTensor(prefix + name, tensor.shape, LogisticRegressionTrainer.Values(tensor.to_type(ScalarType.Float32))));
        }
        return captured;
    }

    /// <summary>Copies <paramref name="saved"/>[prefix + name] into each of <paramref name="tensors"/> in place.</summary>
    /// <exception cref="TrainingCheckpointException">One is missing or of another shape.</exception>
    public static void CopyInto(IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, NamedTensor> saved, string prefix = "")
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in tensors)
        {
            if (!saved.TryGetValue(prefix + name, out var value) || !value.Shape.SequenceEqual(tensor.shape))
            {
                throw new TrainingCheckpointException(
                    $"The training checkpoint {TrainingCheckpoint.FileName} has no tensor '{prefix + name}' of shape [{string.Join(", ", tensor.shape)}].");
            }
            using var scope = NewDisposeScope();
            tensor.copy_(torch.tensor(value.Values, value.Shape));
        }
    }

    public static IEnumerable<(string Name, Tensor Tensor)> StateOf(nn.Module model) =>
        model.state_dict().Select(entry => (entry.Key, entry.Value));
}
