using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Jobs;
using ExplainApi.Torch.Explaining;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Host.Evaluation;

/// <summary>
/// Opens a registered model version as an <see cref="IExplainableModel"/> for evaluation. For now through TorchSharp:
/// the classifier is rebuilt from the options of the job that trained it and its <c>weights.bin</c>, and autograd
/// gives the gradients (so all 14 methods run). When ONNX Runtime serving with exported gradients lands, this is the
/// one place to switch to the served <c>model.onnx</c>.
/// </summary>
public sealed class ExplainableModelSource(IModelRegistry registry, JobStore store)
{
    /// <exception cref="InvalidOperationException">The version was not trained by a classifier job of this service.</exception>
    public async Task<IExplainableModel> OpenAsync(ModelManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var training = manifest.TrainingJob is null ? null : await store.GetAsync(manifest.TrainingJob, cancellationToken);
        if (training is null || training.Kind != ClassifierTrainer.KindName)
        {
            throw new InvalidOperationException(
                $"Model '{manifest.Name}' version {manifest.Version} was not trained by a '{ClassifierTrainer.KindName}' job of this service; "
                + "only such models can be evaluated until evaluation runs on the served ONNX model.");
        }

        var weights = Path.Combine(registry.VersionDirectory(manifest.Name, manifest.Version), ModelManifest.WeightsFileName);
        var input = manifest.Input;
        return ClassifierWeights.Load(weights, training.Options, input.Channels, input.Height, input.Width, manifest.ClassNames.Count);
    }
}
