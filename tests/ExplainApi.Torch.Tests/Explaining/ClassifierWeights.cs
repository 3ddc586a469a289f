using System.Text.Json.Nodes;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Torch.Tests.Explaining;

/// <summary>Rebuilds a trained classifier from its <c>weights.bin</c> and the options of the job that trained it.</summary>
internal static class ClassifierWeights
{
    public static TorchExplainableModel Load(string weightsFile, JsonObject trainingOptions, int channels, int height, int width, int classes)
    {
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
