using ExplainApi.Core.Datasets;
using ExplainApi.Core.DifferenceMaps;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Demo;
using ExplainApi.Host.DifferenceMaps;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Export;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using ExplainApi.Torch.Training.Classifier;
using ExplainApi.Torch.Training.VaGan;

namespace ExplainApi.Bench;

/// <summary>
/// The demo's pair as the service serves it: a classifier of the demo profile's architecture and a VA-GAN generator of
/// the demo's widths linked to it, both seeded and untrained (a fixed graph's latency does not depend on its weights),
/// exported by <see cref="ResNetOnnx"/> and <see cref="VaGanOnnx"/>, registered and loaded by the service's
/// <see cref="ModelSessionCache"/>; the translator and the linked classifier are what the difference-map route resolves.
/// </summary>
public sealed class DifferenceMapModels : IDisposable
{
    public const string ClassifierName = "squares-classifier", VaGanName = "squares-vagan";

    private DifferenceMapModels(ModelSessionCache cache, ModelManifest manifest, IImageTranslator translator, LinkedClassifier classifier) =>
        (Cache, Manifest, Translator, Classifier) = (cache, manifest, translator, classifier);

    public ModelSessionCache Cache { get; }

    public ModelManifest Manifest { get; }

    public IImageTranslator Translator { get; }

    public LinkedClassifier Classifier { get; }

    /// <summary>Registers the classifier and the VA-GAN into <paramref name="registry"/>; returns the VA-GAN's manifest.</summary>
    public static async Task<ModelManifest> RegisterAsync(FileModelRegistry registry, SquaresDataset dataset, string scratch)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(dataset);
        var demo = DemoProfile.Options();
        int Option(string name) => demo[name]!.GetValue<int>();
        var classifier = await BenchModel.RegisterAsync(registry, ClassifierName, dataset.Channels, dataset.Height, Option("width"), scratch,
            Option("depth"), Option("stemStride"), dataset.ClassNames, dataset.Normalization);

        var options = VaGanOptions.From(DemoProfile.VaGanOptions(ClassifierName));
        var (from, to) = VaGanTraining.Classes(dataset.ClassNames, options)!.Value;
        var folder = Directory.CreateDirectory(Path.Combine(scratch, VaGanName)).FullName;
        using (var generator = VaGanTraining.CreateGenerator(dataset, options))
        {
            generator.eval();
            var onnx = VaGanOnnx.Export(generator, dataset.Height, dataset.Width, dataset.ClassNames[from], dataset.ClassNames[to]);
            File.WriteAllBytes(Path.Combine(folder, VaGanTrainer.GeneratorFile), onnx);
        }

        var trained = new TrainedModel(ModelTask.DifferenceMap,
            new ModelInputSpec(dataset.Channels, dataset.Height, dataset.Width, dataset.Normalization, AllowResize: false, DifferenceMapOnnxContract.Input),
            [new ModelGraph(VaGanTrainer.GeneratorRole, VaGanTrainer.GeneratorFile)], [], new Dictionary<string, double>(),
            DifferenceMap: new DifferenceMapSection(VaGanTrainer.KindName, dataset.ClassNames,
                [new DifferenceDirection(VaGanTrainer.Direction, VaGanTrainer.GeneratorRole, dataset.ClassNames[from], dataset.ClassNames[to])],
                new LinkedModel(classifier.Name, classifier.Version)));
        return await registry.RegisterAsync(VaGanName, trained.Under(folder), trainingJob: null, dataset: null, CancellationToken.None);
    }

    /// <exception cref="InvalidOperationException">A model did not load, or the route would not use the classifier.</exception>
    public static async Task<DifferenceMapModels> LoadAsync(FileModelRegistry registry, ModelManifest manifest, AcceleratorPreference accelerator)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(manifest);
        var cache = new ModelSessionCache(new OnnxSessionFactory(), accelerator);
        try
        {
            foreach (var version in new[] { registry.Find(ClassifierName)!, manifest })
            {
                var status = await cache.EnsureLoadedAsync(version, registry.VersionDirectory(version.Name, version.Version));
                if (status.FailureReason is { } why)
                {
                    throw new InvalidOperationException($"{version.Name} did not load: {why}");
                }
            }

            cache.TryGet(manifest.Name, manifest.Version, out var model);
            var translator = model?.Adapter is DifferenceMapAdapter adapter ? DifferenceMapExecution.Direction(adapter, null) : null;
            var (classifier, _) = LinkedClassifier.Resolve(manifest, registry, cache);
            return translator is null || classifier?.Logits is null
                ? throw new InvalidOperationException("The VA-GAN has no a2b translator or the route would not use its classifier.")
                : new DifferenceMapModels(cache, manifest, translator, classifier);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>The route's work after decoding (DifferenceMapExecution.Run without admission): translate, classify both, subtract.</summary>
    public DifferenceMapRun Run(IReadOnlyList<float[]> inputs) =>
        DifferenceMapRunner.Run(Translator, inputs, Classifier.Logits, Classifier.ClassIndex(Translator.Direction.ToClass));

    public void Dispose() => Cache.Dispose();
}
