using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Torch.Explaining;

/// <summary>Rebuilds a trained classifier from its <c>weights.bin</c> and the options of the job that trained it.</summary>
public static class ClassifierWeights
{
    /// <exception cref="ArgumentException">The options are not valid classifier options.</exception>
    public static TorchExplainableModel Load(string weightsFile, System.Text.Json.Nodes.JsonObject trainingOptions, int channels, int height, int width, int classes)
    {
        ArgumentNullException.ThrowIfNull(weightsFile);
        TorchRuntime.ConfigureThreads();
        var options = ClassifierOptions.From(trainingOptions);
        var model = new ResNetClassifier(channels, height, width, classes, options.Width, options.Depth, options.StemStride);
        try
        {
            model.load(weightsFile);
            return new TorchExplainableModel(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

}
