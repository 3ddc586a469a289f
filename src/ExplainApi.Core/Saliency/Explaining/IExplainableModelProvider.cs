namespace ExplainApi.Core.Saliency.Explaining;

/// <summary>
/// Registered classifiers as the saliency methods see them, for jobs that learn from a classifier's explanations (the
/// seeds of weakly supervised segmentation). The host implements it with the served models, so a trainer needs no
/// ONNX Runtime.
/// </summary>
public interface IExplainableModelProvider
{
    /// <summary>
    /// Runs <paramref name="action"/> on a dedicated thread with version <paramref name="version"/> of
    /// <paramref name="name"/>, under a lease held for the whole action (an eviction waits for it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The version is not registered, failed to load or cannot be explained.</exception>
    Task<T> UseAsync<T>(string name, int version, Func<IExplainableModel, T> action, CancellationToken cancellationToken);
}
