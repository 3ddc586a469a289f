using ExplainApi.Core.Models;

namespace ExplainApi.Onnx.Explaining;

/// <summary>
/// What the builder needs beyond the graph: the input C×H×W and class count (from the manifest), the input's
/// name, and the tensor to expose as the CAM target when the graph has no <c>activations</c> output (an imported
/// model's chosen layer), and how its logits become probabilities (the manifest's outputActivation).
/// </summary>
public sealed record ExplainableModelSpec(
    int Channels, int Height, int Width, int Classes, string InputName, string? TargetTensor, OutputActivation OutputActivation = OutputActivation.Softmax)
{
    /// <summary>The manifest's input and classes; its first target layer doubles as the tensor name for imported models.</summary>
    public static ExplainableModelSpec From(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var input = manifest.Input;
        return new(input.Channels, input.Height, input.Width, manifest.ClassNames.Count, input.InputName, manifest.TargetLayers.Count > 0 ? manifest.TargetLayers[0] : null,
            manifest.OutputActivation);
    }
}
