using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Onnx.Export;

namespace ExplainApi.Host.Tests.DifferenceMaps;

/// <summary>
/// A difference-map model and the classifier it links, small enough to reason about, built with our exporter for
/// squares images of <see cref="Size"/> px: generator translated = tanh(x + conv₁ₓ₁(x)) = tanh((1 + A)·x + B) (METHODS §2's
/// y = tanh(x + M) with M a 1×1 conv), classifier logits = (0, mean(x) − Threshold).
/// </summary>
internal static class TinyDifferenceMapModels
{
    public const int Size = 16;
    public const float A = -0.5f, B = -0.3f, Threshold = -0.6f;
    public const string Dataset = "synthetic:squares?n=40&size=16&seed=3";

    public static IReadOnlyList<string> Classes => SquaresDataset.Classes;

    public static float Translate(float x) => MathF.Tanh(((1 + A) * x) + B);

    public static int Classify(ReadOnlySpan<float> image, float threshold = Threshold)
    {
        var sum = 0.0;
        foreach (var v in image)
        {
            sum += v;
        }

        return (float)(sum / image.Length) - threshold > 0 ? 1 : 0;
    }

    public static byte[] Generator(int size = Size)
    {
        var graph = new DifferentiableGraph("tiny_generator");
        var x = graph.Input("input", 1, size, size);
        var map = graph.Conv("map", x, [A], [1, 1, 1, 1], [B], ConvolutionGeometry.Symmetric([1, 1], [1, 1], [0, 0]));
        graph.Output(graph.Tanh(graph.Add(x, map)), "translated");
        return graph.Builder.ToBytes();
    }

    public static byte[] Classifier(int size = Size, float threshold = Threshold)
    {
        var graph = new DifferentiableGraph("tiny_mean_classifier");
        var flat = graph.Flatten(graph.Input("input", 1, size, size));
        var pixels = size * size;
        var weight = Enumerable.Repeat(0f, pixels).Concat(Enumerable.Repeat(1f / pixels, pixels)).ToArray();
        graph.Output(graph.Linear("fc", flat, weight, 2, [0f, -threshold]), "logits");
        return graph.Builder.ToBytes();
    }

    public static ModelInputSpec Input(int size = Size) => new(1, size, size, InputNormalization.MinMaxSymmetric, AllowResize: false);

    /// <summary>Registers the classifier as <paramref name="classifier"/> and the generator linking it as <paramref name="model"/>.</summary>
    public static async Task<ModelManifest> RegisterAsync(IModelRegistry registry, string directory, string model, string classifier,
        int size = Size, string dataset = Dataset)
    {
        var (linked, folder) = await RegisterClassifierAsync(registry, directory, classifier, size, dataset);
        await File.WriteAllBytesAsync(Path.Combine(folder, "generator.onnx"), Generator(size));
        var generator = new TrainedModel(ModelTask.DifferenceMap, Input(size), [new ModelGraph("generator", "generator.onnx")], [], new Dictionary<string, double>(),
            DifferenceMap: new DifferenceMapSection("vagan", Classes, [new DifferenceDirection("b2a", "generator", "abnormal", "normal")],
                new LinkedModel(linked.Name, linked.Version)));
        return await registry.RegisterAsync(model, generator.Under(folder), null, dataset, CancellationToken.None);
    }

    /// <summary>Registers the mean classifier with <paramref name="threshold"/> as <paramref name="name"/>; also returns its staging folder.</summary>
    public static async Task<(ModelManifest Manifest, string Folder)> RegisterClassifierAsync(IModelRegistry registry, string directory, string name,
        int size = Size, string dataset = Dataset, float threshold = Threshold)
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, "tiny-dm", Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "model.onnx"), Classifier(size, threshold));
        await File.WriteAllBytesAsync(Path.Combine(folder, "weights.bin"), [1, 2, 3]);
        var judge = TrainedModel.Classifier("model.onnx", "weights.bin", Input(size), Classes, [], new Dictionary<string, double>());
        return (await registry.RegisterAsync(name, judge.Under(folder), null, dataset, CancellationToken.None), folder);
    }
}

/// <summary>The generator's formula in C#, to compute what the service should report independently of ONNX Runtime.</summary>
internal sealed class FormulaTranslator : IImageTranslator
{
    public DifferenceDirection Direction { get; } = new("b2a", "generator", "abnormal", "normal");

    public int Channels => 1;

    public int Height => TinyDifferenceMapModels.Size;

    public int Width => TinyDifferenceMapModels.Size;

    public float[] Translate(float[] images, int count) => Array.ConvertAll(images, TinyDifferenceMapModels.Translate);
}
