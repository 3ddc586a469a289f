using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExplainApi.Torch.Training;

/// <summary>
/// What a run's <see cref="TrainingCheckpoint"/> holds, declared once and used both ways (capture on save,
/// copy back on resume): networks and optimizer states under their own name prefixes, scalar counters and
/// any other named tensors (e.g. the best weights so far).
/// </summary>
public sealed class CheckpointContent
{
    private readonly List<Func<IEnumerable<NamedTensor>>> _captures = [];
    private readonly List<Action<IReadOnlyDictionary<string, NamedTensor>>> _restores = [];
    private readonly List<(string Name, Func<double> Get, Action<double> Set)> _scalars = [];

    /// <summary>The module's state dict (parameters and buffers, e.g. BatchNorm running statistics) as <paramref name="prefix"/> + name.</summary>
    public CheckpointContent Module(string prefix, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Tensors(
            () => NamedTensors.Capture(NamedTensors.StateOf(module), prefix),
            saved => NamedTensors.CopyInto(NamedTensors.StateOf(module), saved, prefix));
    }

    /// <summary>Only the module's parameters (enough for a network without buffers trained by a stateless optimizer).</summary>
    public CheckpointContent Parameters(string prefix, nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        IEnumerable<(string, Tensor)> Named() => module.named_parameters().Select(p => (p.name, (Tensor)p.parameter));
        return Tensors(() => NamedTensors.Capture(Named(), prefix), saved => NamedTensors.CopyInto(Named(), saved, prefix));
    }

    /// <summary>
    /// Adam's moments as <paramref name="prefix"/><c>exp_avg.</c>name and <c>exp_avg_sq.</c>name (names of the
    /// optimizer's parameters, in its order) and its step count as the scalar <paramref name="prefix"/><c>steps</c>.
    /// </summary>
    public CheckpointContent Adam(string prefix, KeptAliveAdam optimizer, IReadOnlyList<string> parameterNames)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(parameterNames);
        IEnumerable<(string, Tensor)> Moments(IReadOnlyList<Tensor> moments) => parameterNames.Select((name, i) => (name, moments[i]));
        Tensors(
            () => NamedTensors.Capture(Moments(optimizer.ExpAvg), prefix + "exp_avg.")
                .Concat(NamedTensors.Capture(Moments(optimizer.ExpAvgSq), prefix + "exp_avg_sq.")),
            saved =>
            {
                NamedTensors.CopyInto(Moments(optimizer.ExpAvg), saved, prefix + "exp_avg.");
                NamedTensors.CopyInto(Moments(optimizer.ExpAvgSq), saved, prefix + "exp_avg_sq.");
            });
        return Scalar(prefix + "steps", () => optimizer.Steps, value => optimizer.Steps = (long)value);
    }

    /// <summary>A number saved as float64 (exact for counters below 2⁵³).</summary>
    public CheckpointContent Scalar(string name, Func<double> get, Action<double> set)
    {
        _scalars.Add((name, get, set));
        return this;
    }

    /// <summary>Any other tensors: <paramref name="capture"/> names them, <paramref name="restore"/> finds them in the saved ones.</summary>
    public CheckpointContent Tensors(Func<IEnumerable<NamedTensor>> capture, Action<IReadOnlyDictionary<string, NamedTensor>> restore)
    {
        _captures.Add(capture);
        _restores.Add(restore);
        return this;
    }

    public TrainingCheckpoint Capture(string fingerprint, long step, int epoch, ulong shuffleState) =>
        new(fingerprint, step, epoch, shuffleState,
            _scalars.ToDictionary(s => s.Name, s => s.Get(), StringComparer.Ordinal),
            [.. _captures.SelectMany(capture => capture())]);

    /// <exception cref="TrainingCheckpointException">A declared scalar or tensor is missing or of another shape.</exception>
    public void Restore(TrainingCheckpoint checkpoint)
    {
        var saved = checkpoint.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var restore in _restores)
        {
            restore(saved);
        }
        foreach (var (name, _, set) in _scalars)
        {
            if (!checkpoint.Scalars.TryGetValue(name, out var value))
            {
                throw new TrainingCheckpointException($"The training checkpoint {TrainingCheckpoint.FileName} has no value '{name}'.");
            }
            set(value);
        }
    }
}
