using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Explaining;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Onnx.Tests.Explaining;

public sealed class OnnxExplainableModelTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("explainable-test-");
    private readonly ModelSessionCache cache = new(new OnnxSessionFactory(), AcceleratorPreference.Cpu);

    public void Dispose()
    {
        cache.Dispose();
        temp.Delete(recursive: true);
    }

    [Fact]
    public async Task An_exported_model_offers_everything_and_its_forward_matches_a_direct_computation()
    {
        var model = await LoadAsync("exported", TinyConvNet.Exported());
        var images = TinyConvNet.Image(1).Concat(TinyConvNet.Image(2)).ToArray();

        var pass = model.Explain(m =>
        {
            Assert.True(m.HasActivations && m.HasGradients && m.HasLinearHead && m.HasSeparableHead, m.Capabilities.ToString());
            Assert.Equal("features", m.TargetLayer);
            Assert.Equal(new ActivationShape(TinyConvNet.Kernels, TinyConvNet.Size, TinyConvNet.Size), m.ActivationShape);
            return m.Forward(images, 2);
        });

        for (var n = 0; n < 2; n++)
        {
            var (logits, activations) = TinyConvNet.Reference(TinyConvNet.Image(n + 1));
            Assert.Equal(logits, pass.Logits.AsSpan(n * TinyConvNet.Classes, TinyConvNet.Classes).ToArray(), Close);
            Assert.Equal(activations, pass.Activations!.AsSpan(n * activations.Length, activations.Length).ToArray(), Close);
        }

        Assert.Equal(0, cache.OrtValues.Live);
    }

    [Fact]
    public async Task Asking_for_activation_gradients_only_gives_the_full_pass_values_without_input_gradients()
    {
        var model = await LoadAsync("exported", TinyConvNet.Exported());
        var images = TinyConvNet.Image(5).Concat(TinyConvNet.Image(6)).ToArray();

        var (full, partial) = model.Explain(m => (m.Gradients(images, 2, [1, -1]), m.Gradients(images, 2, [1, -1], SaliencyNeeds.ActivationGradients, CancellationToken.None)));

        Assert.Equal(full.Targets, partial.Targets);
        Assert.Equal(full.Logits, partial.Logits, Close);
        Assert.Equal(full.Activations!, partial.Activations!, Close);
        Assert.Equal(full.ActivationGradients!, partial.ActivationGradients!, Close);
        Assert.Empty(partial.InputGradients);
        Assert.NotEmpty(full.InputGradients);
        Assert.Equal(0, cache.OrtValues.Live);
    }

    [Fact]
    public async Task Gradients_feed_the_target_and_resolve_negative_targets_to_the_predicted_class()
    {
        var model = await LoadAsync("exported", TinyConvNet.Exported());
        var images = TinyConvNet.Image(3).Concat(TinyConvNet.Image(4)).ToArray();
        var predicted = ArgMax(TinyConvNet.Reference(TinyConvNet.Image(4)).Logits);

        var pass = model.Explain(m => m.Gradients(images, 2, [2, -1]));

        Assert.Equal([2, predicted], pass.Targets);
        // For a GAP → linear head, ∂y_c/∂A = W_fc[c, k] / (h·w) at every position.
        var positions = TinyConvNet.Size * TinyConvNet.Size;
        Assert.Equal(TinyConvNet.FcWeight[(2 * TinyConvNet.Kernels) + 1] / positions, pass.ActivationGradients![positions], 6);
        Assert.Equal(TinyConvNet.FcWeight[predicted * TinyConvNet.Kernels] / positions, pass.ActivationGradients[TinyConvNet.Kernels * positions], 6);
        Assert.Equal(2 * positions, pass.InputGradients.Length);
        Assert.Contains(pass.InputGradients, g => g != 0);
        Assert.Equal(0, cache.OrtValues.Live);
    }

    [Fact]
    public async Task The_head_alone_reproduces_the_logits_and_the_head_weights_are_the_fc_rows()
    {
        var model = await LoadAsync("exported", TinyConvNet.Exported());
        var image = TinyConvNet.Image(5);
        var (logits, activations) = TinyConvNet.Reference(image);

        var (head, weights) = model.Explain(m => (m.HeadLogits(activations, 1), m.HeadWeights(1)));

        Assert.Equal(logits, head, Close);
        Assert.Equal(TinyConvNet.FcWeight.AsSpan(TinyConvNet.Kernels, TinyConvNet.Kernels).ToArray(), weights);
    }

    [Fact]
    public async Task An_imported_model_gets_its_named_tensor_exposed_and_is_forward_only()
    {
        var model = await LoadAsync("imported", TinyConvNet.Imported(), TinyConvNet.ImportedTensor);
        var image = TinyConvNet.Image(6);
        var (logits, activations) = TinyConvNet.Reference(image);

        var (pass, capabilities, head) = model.Explain(m => (m.Forward(image, 1), m.Capabilities, m.HeadLogits(activations, 1)));

        Assert.Equal(TinyConvNet.ImportedTensor, capabilities.ActivationsTensor);
        Assert.Null(capabilities.MissingActivations);
        Assert.Contains("no backward graph", capabilities.MissingGradients);
        Assert.Contains("no GAP → linear head", capabilities.MissingHeadWeights);
        Assert.Null(capabilities.MissingSeparableHead);
        Assert.Equal(activations, pass.Activations!, Close);
        Assert.Equal(logits, head, Close);
        Assert.Throws<NotSupportedException>(() => model.Explain(m => m.Gradients(image, 1, [-1])));
        Assert.Equal(0, cache.OrtValues.Live);
    }

    [Fact]
    public async Task A_head_that_reads_more_than_the_target_tensor_is_not_separable_and_says_why()
    {
        var model = await LoadAsync("skip", TinyConvNet.ImportedWithSkip(), TinyConvNet.ImportedTensor);

        var capabilities = model.Capabilities!;

        Assert.Null(capabilities.MissingActivations);
        Assert.Contains("'input'", capabilities.MissingSeparableHead);
        Assert.Throws<NotSupportedException>(() => model.Explain(m => m.HeadLogits(new float[128], 1)));
    }

    [Fact]
    public async Task A_missing_target_tensor_leaves_the_forward_pass_working()
    {
        var model = await LoadAsync("nolayer", TinyConvNet.Imported(), "no.such.tensor");

        var pass = model.Explain(m => m.Forward(TinyConvNet.Image(7), 1));

        Assert.Contains("no tensor named 'no.such.tensor'", model.Capabilities!.MissingActivations);
        Assert.Null(pass.Activations);
        Assert.Equal(TinyConvNet.Classes, pass.Logits.Length);
    }

    [Fact]
    public async Task Non_finite_logits_throw_NonFiniteModelOutputException_and_leave_no_OrtValue_alive()
    {
        var model = await LoadAsync("nan", TinyConvNet.Exported(nanLogits: true));

        Assert.Throws<NonFiniteModelOutputException>(() => model.Explain(m => m.Forward(TinyConvNet.Image(8), 1)));
        Assert.Throws<NonFiniteModelOutputException>(() => model.Explain(m => m.Gradients(TinyConvNet.Image(8), 1, [0])));
        Assert.Equal(0, cache.OrtValues.Live);
        Assert.True(cache.OrtValues.Created > 0);
    }

    [Fact]
    public async Task Plain_Run_feeds_target_minus_one_and_returns_target_class_as_float()
    {
        var model = await LoadAsync("exported", TinyConvNet.Exported());
        var image = TinyConvNet.Image(9);

        var outputs = model.Run(image, [1, 1, TinyConvNet.Size, TinyConvNet.Size]);

        Assert.Equal(ArgMax(TinyConvNet.Reference(image).Logits), outputs.Single(o => o.Name == "target_class").Values[0]);
        Assert.Equal(0, cache.OrtValues.Live);
    }

    [Fact]
    public async Task Eviction_disposes_the_explainable_sessions_after_the_explanation_in_flight()
    {
        var model = await LoadAsync("exported", TinyConvNet.Exported());

        var logits = model.Explain(m =>
        {
            cache.Evict("exported");
            return m.Forward(TinyConvNet.Image(10), 1).Logits; // still served: the lease holds the sessions
        });

        Assert.Equal(TinyConvNet.Classes, logits.Length);
        Assert.Throws<ObjectDisposedException>(() => model.Explain(m => m.Forward(TinyConvNet.Image(10), 1)));
    }

    private async Task<LoadedModel> LoadAsync(string name, byte[] onnx, string? targetTensor = null)
    {
        var path = temp.CreateSubdirectory(name).FullName;
        await File.WriteAllBytesAsync(Path.Combine(path, ModelManifest.OnnxFileName), onnx);
        var manifest = new ModelManifest(name, 1, ModelTask.Classification,
            new ModelInputSpec(TinyConvNet.Channels, TinyConvNet.Size, TinyConvNet.Size, InputNormalization.Window(1), AllowResize: false),
            [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)], new ClassificationSection(["a", "b", "c"], targetTensor is null ? ["features"] : [targetTensor]), null, null, null, new Dictionary<string, double>(),
            DateTimeOffset.UnixEpoch, new Dictionary<string, string>());
        var status = await cache.EnsureLoadedAsync(manifest, path);
        Assert.True(status.State == ModelSessionState.Ready, status.FailureReason);
        Assert.True(cache.TryGet(name, 1, out var model));
        Assert.True(model.NotExplainableReason is null, model.NotExplainableReason);
        return model;
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());

    private static readonly FloatTolerance Close = new();

    private sealed class FloatTolerance : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f;

        public int GetHashCode(float obj) => 0;
    }
}
