using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;

namespace ExplainApi.Torch.Tests.Training.Segmentation;

/// <summary>Serves one explainable model under any name and counts the calls (a restarted job must not ask again).</summary>
internal sealed class CountingProvider(IExplainableModel model) : IExplainableModelProvider
{
    public int Calls { get; private set; }

    public Task<T> UseAsync<T>(string name, int version, Func<IExplainableModel, T> action, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(action(model));
    }
}
