using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Training;
using ExplainApi.Host.Explaining;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Bench;

/// <summary>
/// A <see cref="ResNetClassifier"/> with seeded (untrained) weights, exported by <see cref="ResNetOnnx.Export"/>,
/// registered into a model folder as training does (<see cref="FileModelRegistry.RegisterAsync"/>) and loaded by the
/// service's <see cref="ModelSessionCache"/>, which builds the same OnnxExplainableModel the HTTP endpoints use.
/// Weights do not change the latency of a fixed graph; only the architecture (C, H, W, width, depth) does.
/// </summary>
public sealed class BenchModel : IDisposable
{
    public const int Classes = 2;
    public const long Seed = 7;

    private BenchModel(ModelManifest manifest, string onnxPath, ModelSessionCache cache, LoadedModel loaded, int targetChannels)
        => (Manifest, OnnxPath, Cache, Served, TargetChannels) = (manifest, onnxPath, cache, new ServedModel(manifest, loaded), targetChannels);

    public ModelManifest Manifest { get; }

    public string OnnxPath { get; }

    public ModelSessionCache Cache { get; }

    public ServedModel Served { get; }

    /// <summary>K, the channels of the CAM target layer.</summary>
    public int TargetChannels { get; }

    public string Label => $"{Manifest.Input.Channels}×{Manifest.Input.Height}² (K = {TargetChannels})";

    /// <summary>Exports the model into <paramref name="registry"/> as <paramref name="name"/>; loading is left to the caller (<see cref="LoadAsync"/>) or the service.</summary>
    public static async Task<ModelManifest> RegisterAsync(FileModelRegistry registry, string name, int channels, int size, int width, string scratch,
        int depth = 3, int stemStride = 1, IReadOnlyList<string>? classNames = null, InputNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var folder = Directory.CreateDirectory(Path.Combine(scratch, name)).FullName;
        var onnx = Path.Combine(folder, ModelManifest.OnnxFileName);
        var weights = Path.Combine(folder, ModelManifest.WeightsFileName);
        string targetLayer;
        using (var model = new ResNetClassifier(channels, size, size, Classes, baseWidth: width, depth: depth, stemStride: stemStride))
        {
            model.InitializeWeights(Seed);
            model.eval();
            File.WriteAllBytes(onnx, ResNetOnnx.Export(model));
            model.save(weights);
            targetLayer = model.TargetLayer;
        }

        var input = new ModelInputSpec(channels, size, size, normalization ?? InputNormalization.Window(channels), AllowResize: false, ResNetOnnx.Input);
        var trained = TrainedModel.Classifier(onnx, weights, input, classNames ?? ["negative", "positive"], [targetLayer], new Dictionary<string, double>());
        return await registry.RegisterAsync(name, trained, trainingJob: null, dataset: null, CancellationToken.None);
    }

    /// <exception cref="InvalidOperationException">The cache could not load or explain the model.</exception>
    public static async Task<BenchModel> LoadAsync(FileModelRegistry registry, ModelManifest manifest, AcceleratorPreference accelerator)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(manifest);
        var onnx = Path.Combine(registry.VersionDirectory(manifest.Name, manifest.Version), manifest.PrimaryGraph.File);
        var cache = new ModelSessionCache(new OnnxSessionFactory(), accelerator);
        var status = await cache.EnsureLoadedAsync(manifest, Path.GetDirectoryName(onnx)!);
        if (!cache.TryGet(manifest.Name, manifest.Version, out var loaded) || loaded.NotExplainableReason is not null)
        {
            cache.Dispose();
            throw new InvalidOperationException($"Model {manifest.Name} did not load for explaining: {status.FailureReason ?? loaded?.NotExplainableReason}");
        }

        if (accelerator == AcceleratorPreference.Cuda && loaded.Provider.FallbackReason is { } reason)
        {
            // A CPU measurement labelled CUDA would be worse than none (cuDNN, loaded lazily, fails only here).
            cache.Dispose();
            throw new InvalidOperationException($"Model {manifest.Name} fell back to CPU: {reason}");
        }

        var k = loaded.Explain(m => m.ActivationShape?.Channels ?? 0);
        return new BenchModel(manifest, onnx, cache, loaded, k);
    }

    /// <summary><paramref name="batch"/> seeded images (seeds <paramref name="firstSeed"/>, +1, …) one after the other, as one NCHW input.</summary>
    public float[] Batch(int batch, ulong firstSeed) => [.. Enumerable.Range(0, batch).SelectMany(i => Image(firstSeed + (ulong)i))];

    /// <summary>A seeded image already in model input space (window → standardise gives values in [−1, 1]).</summary>
    public float[] Image(ulong seed)
    {
        var random = new SplitMix64(seed);
        var input = Manifest.Input;
        var image = new float[input.Channels * input.Height * input.Width];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = (float)((random.Next() >> 11) * (2.0 / (1UL << 53)) - 1);
        }

        return image;
    }

    /// <summary>
    /// Channels of the target layer that are not constant on <paramref name="image"/>: Score-CAM runs one masked
    /// forward for each of these and skips the rest (a constant map has no normalised mask).
    /// </summary>
    public int VaryingChannels(float[] image) => Served.Model.Explain(m =>
    {
        var pass = m.Forward(image, 1);
        var shape = pass.ActivationShape ?? default;
        var plane = shape.Height * shape.Width;
        return Enumerable.Range(0, shape.Channels).Count(k =>
        {
            var values = pass.Activations.AsSpan(k * plane, plane);
            return values.IndexOfAnyExcept(values[0]) >= 0;
        });
    });

    public void Dispose() => Cache.Dispose();
}
