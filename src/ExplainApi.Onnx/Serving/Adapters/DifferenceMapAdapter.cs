using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;

namespace ExplainApi.Onnx.Serving.Adapters;

/// <summary>
/// A difference-map model (VA-GAN, CycleGAN): one <see cref="IImageTranslator"/> per direction of its manifest, each over
/// the generator graph the direction names. Every generator must follow the contract (float <c>input</c> [N, C, H, W] →
/// float <c>translated</c> [N, C, H, W] with the manifest's C×H×W), checked at load, else the version fails.
/// </summary>
public sealed class DifferenceMapAdapter : IModelAdapter
{
    /// <summary>The generator graph contract (the same names as the exporters' DifferenceMapOnnxContract).</summary>
    public const string InputTensor = "input", OutputTensor = "translated";

    private readonly Dictionary<string, IImageTranslator> translators;

    private DifferenceMapAdapter(DifferenceMapSection section, Dictionary<string, IImageTranslator> translators) =>
        (Section, this.translators) = (section, translators);

    public ModelTask Task => ModelTask.DifferenceMap;

    public DifferenceMapSection Section { get; }

    /// <summary>The translators by direction name (<c>a2b</c>, <c>b2a</c>), in manifest order.</summary>
    public IReadOnlyDictionary<string, IImageTranslator> Translators => translators;

    /// <summary>The translator of <paramref name="direction"/>, or null when the model lacks it.</summary>
    public IImageTranslator? Translator(string direction) => translators.GetValueOrDefault(direction);

    internal static IModelAdapter Attach(AdapterContext context)
    {
        var model = context.Model;
        var section = model.Manifest.DifferenceMap ?? throw new ModelContractException("The manifest has no differenceMap section.");
        var spec = model.Manifest.Input;
        var translators = new Dictionary<string, IImageTranslator>(StringComparer.Ordinal);
        foreach (var direction in section.Directions)
        {
            var graph = model.Graph(direction.Graph)
                ?? throw new ModelContractException($"Direction '{direction.Name}' names graph '{direction.Graph}', which the version does not have.");
            if (Violation(graph, spec) is { } why)
            {
                throw new ModelContractException(
                    $"Graph '{graph.Role}' ({graph.File}) is not a difference-map generator: {why} (expected FP32 '{InputTensor}' → FP32 '{OutputTensor}', both [N, {spec.Channels}, {spec.Height}, {spec.Width}]).");
            }

            translators[direction.Name] = new OnnxImageTranslator(model, direction, fixedBatchOfOne: graph.Inputs.Single(i => i.Name == InputTensor).Shape[0] == 1);
        }

        return new DifferenceMapAdapter(section, translators);
    }

    /// <summary>Why the graph breaks the contract, or null; the warm-up has already run it on [1, C, H, W].</summary>
    private static string? Violation(GraphSession graph, ModelInputSpec spec)
    {
        long[] image = [spec.Channels, spec.Height, spec.Width];
        bool Fits(ModelTensorInfo t) => t.Datatype == "FP32" && t.Shape.Count == 4 && t.Shape.Skip(1).Zip(image).All(p => p.First == -1 || p.First == p.Second);
        var input = graph.Inputs.FirstOrDefault(i => i.Name == InputTensor);
        var output = graph.Outputs.FirstOrDefault(o => o.Name == OutputTensor);
        return input is null ? $"it has no input '{InputTensor}'"
            : graph.Inputs.Count != 1 ? $"it has {graph.Inputs.Count} inputs"
            : !Fits(input) ? $"input '{InputTensor}' is {input.Datatype} [{string.Join(", ", input.Shape)}]"
            : output is null ? $"it has no output '{OutputTensor}'"
            : !Fits(output) ? $"output '{OutputTensor}' is {output.Datatype} [{string.Join(", ", output.Shape)}]"
            : null;
    }

    public void Dispose()
    {
        // The translators run on the version's graph sessions, which the LoadedModel disposes.
    }
}
