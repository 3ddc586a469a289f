using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;

namespace ExplainApi.Onnx.Serving.Adapters;

/// <summary>
/// What one task adds on top of a version's warmed sessions (the classifier's saliency form, a difference-map model's
/// translators…). One adapter type per task, chosen by <see cref="ModelAdapters"/>; disposed with its <see cref="LoadedModel"/>.
/// </summary>
public interface IModelAdapter : IDisposable
{
    ModelTask Task { get; }
}

/// <summary>What an adapter is built from: the warmed version, its folder, the session machinery and the version's dynamic batching (null: none).</summary>
public sealed record AdapterContext(
    LoadedModel Model, string VersionDirectory, OnnxSessionFactory Factory, AcceleratorPreference Preference, OrtValueTracker Tracker,
    BatchingSettings? Batching = null);

/// <summary>A graph breaks its task's contract (e.g. a generator without <c>translated</c>): the version fails to load with this reason.</summary>
public sealed class ModelContractException : Exception
{
    public ModelContractException()
    {
    }

    public ModelContractException(string message)
        : base(message)
    {
    }

    public ModelContractException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
