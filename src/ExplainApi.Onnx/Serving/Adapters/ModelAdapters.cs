using ExplainApi.Core.Models;

namespace ExplainApi.Onnx.Serving.Adapters;

/// <summary>
/// The one place a task picks its serving adapter. Generation has none yet: its versions load, warm up and answer
/// KServe inference, but no task route serves them.
/// </summary>
public static class ModelAdapters
{
    private static readonly Dictionary<ModelTask, Func<AdapterContext, IModelAdapter>> ByTask = new()
    {
        [ModelTask.Classification] = ClassificationAdapter.Attach,
        [ModelTask.DifferenceMap] = DifferenceMapAdapter.Attach,
        [ModelTask.Segmentation] = SegmentationAdapter.Attach,
    };

    /// <summary>Whether versions of <paramref name="task"/> get an adapter (and so their task routes).</summary>
    public static bool Serves(ModelTask task) => ByTask.ContainsKey(task);

    /// <exception cref="ModelContractException">The graphs break the task's contract.</exception>
    internal static IModelAdapter? Create(AdapterContext context) =>
        ByTask.TryGetValue(context.Model.Manifest.Task, out var attach) ? attach(context) : null;
}
