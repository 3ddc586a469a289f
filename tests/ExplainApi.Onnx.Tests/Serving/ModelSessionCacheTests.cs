using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Onnx.Serving;
using Microsoft.ML.OnnxRuntime;

namespace ExplainApi.Onnx.Tests.Serving;

public sealed class ModelSessionCacheTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("session-cache-test-");
    private readonly ModelSessionCache cache = new(new OnnxSessionFactory(), AcceleratorPreference.Cpu);

    public void Dispose()
    {
        cache.Dispose();
        temp.Delete(recursive: true);
    }

    [Fact]
    public async Task Concurrent_EnsureLoaded_calls_share_one_load_and_one_warm_up()
    {
        var path = Write("relu.onnx", ReluLinearModel.Build());
        var manifest = Manifest("relu", 1, channels: 1, height: 1, width: ReluLinearModel.In);
        var loads = 0;
        using var start = new Barrier(16);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return cache.EnsureLoadedAsync(manifest, path, () =>
            {
                Interlocked.Increment(ref loads);
                return null;
            });
        })));

        Assert.Equal(1, loads);
        Assert.All(statuses, s => Assert.Equal(ModelSessionState.Ready, s.State));
        Assert.True(cache.TryGet("relu", 1, out var model));
        Assert.Equal(1, model.InferenceCount); // the warm-up, once
        Assert.Equal(new ExecutionProviderReport(OnnxSessionFactory.CpuProvider, AcceleratorPreference.Cpu, null), model.Provider);
        Assert.Equal([new ModelSessionStatus("relu", 1, ModelSessionState.Ready, model.Provider, null)], cache.States);

        await cache.EnsureLoadedAsync(manifest, path);
        Assert.Equal(1, model.InferenceCount);
    }

    [Fact]
    public async Task Metadata_reports_names_KServe_datatypes_and_minus_one_for_dynamic_dimensions()
    {
        var path = Write("relu.onnx", ReluLinearModel.Build());
        await cache.EnsureLoadedAsync(Manifest("relu", 1, 1, 1, ReluLinearModel.In), path);

        Assert.True(cache.TryGet("relu", 1, out var model));
        // The manifest's input name ("input") is not in this model, so its first input is used.
        Assert.Equal("X", model.InputName);
        Assert.Equal([new ModelTensorInfo("X", "FP32", [-1, ReluLinearModel.In])], model.Inputs, TensorInfoComparer.Instance);
        Assert.Equal([new ModelTensorInfo("Y", "FP32", [-1, ReluLinearModel.Out])], model.Outputs, TensorInfoComparer.Instance);
    }

    [Fact]
    public async Task One_session_serves_concurrent_inferences_with_correct_results()
    {
        var path = Write("relu.onnx", ReluLinearModel.Build());
        await cache.EnsureLoadedAsync(Manifest("relu", 1, 1, 1, ReluLinearModel.In), path);
        Assert.True(cache.TryGet("relu", 1, out var model));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                var batch = 1 + ((thread + i) % 3);
                var x = Enumerable.Range(0, batch * ReluLinearModel.In).Select(k => ((k + thread + i) % 9 - 4) * 0.3f).ToArray();
                var output = Assert.Single(model.Run(x, [batch, ReluLinearModel.In]));
                Assert.Equal([batch, ReluLinearModel.Out], output.Shape);
                Assert.Equal(ReluLinearModel.Expected(x, batch), output.Values, FloatComparer.Instance);
            }
        })));

        Assert.Equal(1 + (8 * 50), model.InferenceCount);
    }

    [Fact]
    public async Task A_corrupt_model_is_Failed_with_the_runtime_reason_and_never_served()
    {
        var path = Write("corrupt.onnx", "this is not an onnx model"u8.ToArray());

        var status = await cache.EnsureLoadedAsync(Manifest("corrupt", 2, 1, 1, 4), path);

        Assert.Equal(ModelSessionState.Failed, status.State);
        Assert.Contains("ONNX Runtime could not load the model (model.onnx)", status.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(path, status.FailureReason, StringComparison.Ordinal); // clients see reasons
        Assert.Equal(status, cache.StatusOf("corrupt", 2));
        Assert.False(cache.TryGet("corrupt", 2, out _));
    }

    [Fact]
    public async Task A_verification_failure_fails_the_load_before_any_session_is_created()
    {
        var path = Write("relu.onnx", ReluLinearModel.Build());

        var status = await cache.EnsureLoadedAsync(Manifest("tampered", 1, 1, 1, 4), path, () => "model.onnx: SHA-256 differs");

        Assert.Equal(new ModelSessionStatus("tampered", 1, ModelSessionState.Failed, null, "model.onnx: SHA-256 differs"), status);
    }

    [Fact]
    public async Task An_image_model_warms_up_on_the_manifest_shape_and_fails_when_the_manifest_disagrees()
    {
        var path = Write("image.onnx", ReluImageModel.Build(channels: 1, height: 4, width: 5));

        var matching = await cache.EnsureLoadedAsync(Manifest("image", 1, channels: 1, height: 4, width: 5), path);
        var wrong = await cache.EnsureLoadedAsync(Manifest("image", 2, channels: 3, height: 4, width: 5), path);

        Assert.Equal(ModelSessionState.Ready, matching.State);
        Assert.True(cache.TryGet("image", 1, out var model));
        Assert.Equal("input", model.InputName);
        Assert.Equal([-1L, 1, 4, 5], model.Inputs[0].Shape);
        Assert.Equal(ModelSessionState.Failed, wrong.State);
        Assert.StartsWith("Warm-up inference failed", wrong.FailureReason, StringComparison.Ordinal);
        Assert.Equal(OnnxSessionFactory.CpuProvider, wrong.Provider?.Provider);
    }

    [Fact]
    public async Task Eviction_retires_the_session_and_a_later_EnsureLoaded_loads_afresh()
    {
        var path = Write("relu.onnx", ReluLinearModel.Build());
        await cache.EnsureLoadedAsync(Manifest("evict", 1, 1, 1, 4), path);
        await cache.EnsureLoadedAsync(Manifest("evict", 2, 1, 1, 4), path);
        await cache.EnsureLoadedAsync(Manifest("other", 1, 1, 1, 4), path);
        Assert.True(cache.TryGet("evict", 1, out var evicted));

        Assert.Equal(1, cache.Evict("evict", 1));
        Assert.False(cache.TryGet("evict", 1, out _));
        Assert.Throws<ObjectDisposedException>(() => evicted.Run(new float[4], [1, 4]));
        Assert.Equal(["evict/2", "other/1"], cache.States.Select(s => $"{s.Name}/{s.Version}"));

        Assert.Equal(1, cache.Evict("evict"));
        Assert.Equal(0, cache.Evict("evict"));
        Assert.Equal(["other/1"], cache.States.Select(s => $"{s.Name}/{s.Version}"));

        var reloaded = await cache.EnsureLoadedAsync(Manifest("evict", 1, 1, 1, 4), path);
        Assert.Equal(ModelSessionState.Ready, reloaded.State);
        Assert.True(cache.TryGet("evict", 1, out var fresh));
        Assert.NotSame(evicted, fresh);
    }

    [Fact]
    public async Task An_eviction_waits_for_the_inference_in_flight_before_closing_the_session()
    {
        var path = Write("relu.onnx", ReluLinearModel.Build());
        await cache.EnsureLoadedAsync(Manifest("inflight", 1, 1, 1, 4), path);
        Assert.True(cache.TryGet("inflight", 1, out var model));

        var shape = model.Use(session =>
        {
            cache.Evict("inflight");

            // Evicted mid-use: new uses are refused, the one in flight still has a working session.
            Assert.Throws<ObjectDisposedException>(() => model.Run(new float[4], [1, 4]));
            using var input = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 4]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, ["X"], [input], ["Y"]);
            return outputs[0].GetTensorTypeAndShape().Shape;
        });

        Assert.Equal([1L, ReluLinearModel.Out], shape);
        Assert.Throws<ObjectDisposedException>(() => model.Use(session => session.InputNames));
    }

    /// <summary>A version folder holding <paramref name="bytes"/> as its model.onnx (the manifests' one graph).</summary>
    private string Write(string folder, byte[] bytes)
    {
        var directory = temp.CreateSubdirectory(Path.GetFileNameWithoutExtension(folder)).FullName;
        File.WriteAllBytes(Path.Combine(directory, ModelManifest.OnnxFileName), bytes);
        return directory;
    }

    private static ModelManifest Manifest(string name, int version, int channels, int height, int width) =>
        new(name, version, ModelTask.Classification, new ModelInputSpec(channels, height, width, InputNormalization.Window(channels), AllowResize: false),
            [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)], new ClassificationSection(["a", "b", "c"], []), null, null, null, new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, new Dictionary<string, string>());

    private sealed class FloatComparer : IEqualityComparer<float>
    {
        public static readonly FloatComparer Instance = new();

        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f;

        public int GetHashCode(float obj) => 0;
    }

    private sealed class TensorInfoComparer : IEqualityComparer<ModelTensorInfo>
    {
        public static readonly TensorInfoComparer Instance = new();

        public bool Equals(ModelTensorInfo? x, ModelTensorInfo? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Datatype == y.Datatype && x.Shape.SequenceEqual(y.Shape);

        public int GetHashCode(ModelTensorInfo obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
