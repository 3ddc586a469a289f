using ExplainApi.Core;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Explaining;

namespace ExplainApi.Onnx.Serving.Adapters;

/// <summary>
/// A classifier as the saliency methods see it (<see cref="OnnxExplainableModelBuilder"/> over the primary graph). The
/// saliency form is optional: a model whose outputs are not logits of the manifest's classes still loads and serves
/// plain inference; its explanation requests answer with <see cref="NotExplainableReason"/>. <see cref="Served"/> is what
/// the saliency requests share: the same model behind dynamic batching when the version has it.
/// </summary>
public sealed class ClassificationAdapter : IModelAdapter
{
    private ClassificationAdapter(OnnxExplainableModel? explainable, string? notExplainableReason, BatchingSettings? batching = null) =>
        (Explainable, NotExplainableReason, Served) =
            (explainable, notExplainableReason, explainable is not null && batching is not null ? new BatchingExplainableModel(explainable, batching) : explainable);

    public ModelTask Task => ModelTask.Classification;

    /// <summary>The saliency form, null when <see cref="NotExplainableReason"/> says why not.</summary>
    public OnnxExplainableModel? Explainable { get; }

    public string? NotExplainableReason { get; }

    /// <summary><see cref="Explainable"/>, batched across concurrent requests when the version has batching settings.</summary>
    public IExplainableModel? Served { get; }

    internal static IModelAdapter Attach(AdapterContext context)
    {
        var model = context.Model;
        var path = Path.Combine(context.VersionDirectory, model.Primary.File);
        try
        {
            var builder = new OnnxExplainableModelBuilder(context.Factory, context.Preference, context.Tracker);
            return new ClassificationAdapter(builder.Build(File.ReadAllBytes(path), ExplainableModelSpec.From(model.Manifest), model.Session), null, context.Batching);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return new ClassificationAdapter(null, ClientSafeText.WithoutPaths(exception.Message, context.VersionDirectory));
        }
    }

    public void Dispose() => Explainable?.Dispose();
}

/// <summary>The classifier's view of a loaded version, for the saliency routes, evaluation and the bench.</summary>
public static class ClassifierServing
{
    extension(LoadedModel model)
    {
        /// <summary>
        /// The model as the saliency methods see it, under a lease held for the whole of <paramref name="action"/>, so an
        /// eviction waits for the explanation in flight.
        /// </summary>
        /// <exception cref="InvalidOperationException">The version is not an explainable classifier.</exception>
        /// <exception cref="ObjectDisposedException">The model was evicted.</exception>
        public T Explain<T>(Func<OnnxExplainableModel, T> action)
        {
            ArgumentNullException.ThrowIfNull(action);
            return model.With<ClassificationAdapter, T>(c =>
                action(c.Explainable ?? throw new InvalidOperationException($"Model {model.Key} cannot be explained: {c.NotExplainableReason}")));
        }

        /// <summary>
        /// As <see cref="Explain{T}"/>, with the model that concurrent saliency requests share (<see cref="ClassificationAdapter.Served"/>):
        /// their passes are batched together when the version has dynamic batching.
        /// </summary>
        public T ExplainShared<T>(Func<IExplainableModel, T> action)
        {
            ArgumentNullException.ThrowIfNull(action);
            return model.With<ClassificationAdapter, T>(c =>
                action(c.Served ?? throw new InvalidOperationException($"Model {model.Key} cannot be explained: {c.NotExplainableReason}")));
        }

        /// <summary>Why the saliency methods cannot use this version (another task, or outputs that are not the manifest's logits), or null.</summary>
        public string? NotExplainableReason => model.Adapter is ClassificationAdapter c
            ? c.NotExplainableReason
            : $"it is a {ModelTasks.Name(model.Manifest.Task)} model, not a classifier";

        /// <summary>What the saliency methods can use (null for versions without the saliency form).</summary>
        public ExplainableCapabilities? Capabilities => (model.Adapter as ClassificationAdapter)?.Explainable?.Capabilities;

        /// <summary>The CAM target layer (the graph's <c>target_layer</c> metadata, else the target tensor), null without one.</summary>
        public string? TargetLayer => (model.Adapter as ClassificationAdapter)?.Explainable is { HasActivations: true } e ? e.TargetLayer : null;
    }
}
