using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Training;
using ExplainApi.Torch.Tests.Explaining;
using ExplainApi.Torch.Training;
using ExplainApi.Torch.Training.Classifier;

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

/// <summary>The small seeded multi-label classifier ("judge", registered by PseudoMaskPhasesTests.Judge) whose CAM seeds the pseudo-mask tests use (48², 3 classes).</summary>
internal static class JudgeClassifier
{
    // Seeded: the seeds, and so the detector's targets, must not depend on libtorch's global generator.
    public static TorchExplainableModel Create()
    {
        var network = new ResNetClassifier(1, 48, 48, classes: 3, baseWidth: 8, depth: 2, stemStride: 2);
        SeededInitialization.Apply(network, 11);
        return new TorchExplainableModel(network);
    }
}
