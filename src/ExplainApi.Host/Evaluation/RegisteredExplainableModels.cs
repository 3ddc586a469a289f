using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// Registered classifiers for trainers (<see cref="IExplainableModelProvider"/>), opened as the evaluate job opens them
/// (<see cref="ExplainableModelSource"/>): the served model and its exported backward graph, under a lease.
/// </summary>
public sealed class RegisteredExplainableModels(IModelRegistry registry, ExplainableModelSource source) : IExplainableModelProvider
{
    public async Task<T> UseAsync<T>(string name, int version, Func<IExplainableModel, T> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var manifest = registry.Find(name, version) ?? throw new InvalidOperationException($"Model '{name}' version {version} is no longer registered.");
        var served = await source.OpenAsync(manifest);
        cancellationToken.ThrowIfCancellationRequested();
        return await Task.Factory.StartNew(() =>
        {
            try
            {
                return served.Explain(explainable => action(explainable));
            }
            catch (ObjectDisposedException)
            {
                throw new InvalidOperationException($"Model '{name}' version {version} was unloaded (deleted or replaced) while in use.");
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
