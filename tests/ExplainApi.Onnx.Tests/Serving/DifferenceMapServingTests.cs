using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Onnx.Tests.Serving;

public sealed class DifferenceMapServingTests : IDisposable
{
    private const int Size = 6, Channels = 1;
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("difference-map-serving-");
    private readonly ModelSessionCache cache = new(new OnnxSessionFactory(), AcceleratorPreference.Cpu);

    public void Dispose()
    {
        cache.Dispose();
        temp.Delete(recursive: true);
    }

    [Fact]
    public async Task Every_graph_is_loaded_and_warmed_and_each_direction_translates_with_its_own_generator()
    {
        var (manifest, folder) = Version("gan", ("generator", TinyGenerator.Build(Channels, Size, seed: 1)), ("generator-b2a", TinyGenerator.Build(Channels, Size, seed: 2)));

        var status = await cache.EnsureLoadedAsync(manifest, folder);

        Assert.True(status.State == ModelSessionState.Ready, status.FailureReason);
        Assert.True(cache.TryGet("gan", 1, out var model));
        Assert.Equal(["generator", "generator-b2a"], model.Graphs.Select(g => g.Role));
        Assert.Equal(2, model.InferenceCount); // one warm-up per graph
        var adapter = Assert.IsType<DifferenceMapAdapter>(model.Adapter);
        var images = Enumerable.Range(0, 2 * Size * Size).Select(i => MathF.Sin(i * 0.7f) * 0.9f).ToArray();
        foreach (var (direction, seed) in new[] { ("a2b", 1), ("b2a", 2) })
        {
            var translated = adapter.Translators[direction].Translate(images, 2);
            for (var n = 0; n < 2; n++)
            {
                var image = images.AsSpan(n * Size * Size, Size * Size).ToArray();
                Assert.Equal(TinyGenerator.Reference(image, Channels, Size, seed), translated.AsSpan(n * Size * Size, Size * Size).ToArray(), Close);
            }
        }

        Assert.Equal(0, cache.OrtValues.Live);
    }

    [Fact]
    public async Task A_version_with_one_broken_graph_fails_as_a_whole_naming_that_graph()
    {
        var (manifest, folder) = Version("broken", ("generator", TinyGenerator.Build(Channels, Size, 1)), ("generator-b2a", "not onnx"u8.ToArray()));

        var status = await cache.EnsureLoadedAsync(manifest, folder);

        Assert.Equal(ModelSessionState.Failed, status.State);
        Assert.StartsWith("Graph 'generator-b2a': ONNX Runtime could not load the model (generator-b2a.onnx)", status.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(folder, status.FailureReason, StringComparison.Ordinal);
        Assert.False(cache.TryGet("broken", 1, out _));
        Assert.Equal(0, cache.OrtValues.Live);
    }

    [Fact]
    public async Task A_generator_without_the_translated_output_fails_the_version_with_the_contract()
    {
        var (manifest, folder) = Version("contract", ("generator", TinyGenerator.Build(Channels, Size, 1)), ("generator-b2a", TinyGenerator.Build(Channels, Size, 2, output: "fake")));

        var status = await cache.EnsureLoadedAsync(manifest, folder);

        Assert.Equal(ModelSessionState.Failed, status.State);
        Assert.Equal($"Graph 'generator-b2a' (generator-b2a.onnx) is not a difference-map generator: it has no output 'translated' " +
            $"(expected FP32 'input' → FP32 'translated', both [N, 1, {Size}, {Size}]).", status.FailureReason);
    }

    [Fact]
    public async Task A_generator_of_another_image_size_fails_at_warm_up()
    {
        var (manifest, folder) = Version("size", ("generator", TinyGenerator.Build(Channels, Size + 2, 1)), ("generator-b2a", TinyGenerator.Build(Channels, Size, 2)));

        var status = await cache.EnsureLoadedAsync(manifest, folder);

        Assert.Equal(ModelSessionState.Failed, status.State);
        Assert.StartsWith("Warm-up inference failed: graph 'generator' (generator.onnx):", status.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_generation_version_loads_without_an_adapter_and_serves_plain_inference()
    {
        var (manifest, folder) = Version("generative", ("generator", TinyGenerator.Build(Channels, Size, 1)));
        manifest = manifest with { Task = ModelTask.Generation, DifferenceMap = null };

        Assert.Equal(ModelSessionState.Ready, (await cache.EnsureLoadedAsync(manifest, folder)).State);

        Assert.True(cache.TryGet("generative", 1, out var model));
        Assert.Null(model.Adapter);
        Assert.False(ModelAdapters.Serves(ModelTask.Generation));
        var output = Assert.Single(model.Run(new float[Size * Size], [1, 1, Size, Size]));
        Assert.Equal("translated", output.Name);
        Assert.Equal("it is a generation model, not a classifier", model.NotExplainableReason);
    }

    [Fact]
    public async Task An_evicted_version_refuses_new_translations()
    {
        var (manifest, folder) = Version("evicted", ("generator", TinyGenerator.Build(Channels, Size, 1)));
        await cache.EnsureLoadedAsync(manifest, folder);
        Assert.True(cache.TryGet("evicted", 1, out var model));
        var translator = ((DifferenceMapAdapter)model.Adapter!).Translators["a2b"];

        cache.Evict("evicted");

        Assert.Throws<ObjectDisposedException>(() => translator.Translate(new float[Size * Size], 1));
        Assert.Equal(0, cache.OrtValues.Live);
    }

    private (ModelManifest Manifest, string Folder) Version(string name, params (string Role, byte[] Onnx)[] graphs)
    {
        var folder = temp.CreateSubdirectory(name).FullName;
        foreach (var (role, onnx) in graphs)
        {
            File.WriteAllBytes(Path.Combine(folder, role + ".onnx"), onnx);
        }

        var roles = graphs.Select(g => g.Role).ToList();
        DifferenceDirection[] directions = [new("a2b", roles[0], "healthy", "lesion"), .. roles.Skip(1).Select(r => new DifferenceDirection("b2a", r, "lesion", "healthy"))];
        var manifest = new ModelManifest(name, 1, ModelTask.DifferenceMap, new ModelInputSpec(Channels, Size, Size, InputNormalization.Window(Channels), AllowResize: false),
            [.. roles.Select(r => new ModelGraph(r, r + ".onnx"))], null, new DifferenceMapSection("vagan", ["healthy", "lesion"], directions, null),
            null, null, new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, roles.ToDictionary(r => r + ".onnx", _ => ""));
        return (manifest, folder);
    }

    private static readonly FloatTolerance Close = new();

    private sealed class FloatTolerance : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f;

        public int GetHashCode(float obj) => 0;
    }
}
