using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Onnx.Tests.Explaining;

/// <summary>
/// The evaluate job scores the served ONNX model, so an imported forward-only classifier is evaluated too: the methods
/// it supports get scores, the others are rows with the reason SaliencyMethods.Supports gives.
/// </summary>
public sealed class ImportedModelEvaluationTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("imported-eval-test-");
    private readonly ModelSessionCache cache = new(new OnnxSessionFactory(), AcceleratorPreference.Cpu);

    public void Dispose()
    {
        cache.Dispose();
        temp.Delete(recursive: true);
    }

    [Fact]
    public async Task An_imported_forward_only_model_is_scored_by_its_methods_and_lists_the_others_as_unsupported_with_the_reason()
    {
        var path = Path.Combine(temp.FullName, ModelManifest.OnnxFileName);
        await File.WriteAllBytesAsync(path, TinyConvNet.Imported());
        var manifest = new ModelManifest("users-net", 1, ModelTask.Classification,
            new ModelInputSpec(TinyConvNet.Channels, TinyConvNet.Size, TinyConvNet.Size, InputNormalization.Window(1), AllowResize: false),
            [new ModelGraph(ModelGraph.ClassifierRole, ModelManifest.OnnxFileName)], new ClassificationSection(["a", "b", "c"], [TinyConvNet.ImportedTensor]), null, null, null, new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, new Dictionary<string, string>());
        Assert.Equal(ModelSessionState.Ready, (await cache.EnsureLoadedAsync(manifest, temp.FullName)).State);
        Assert.True(cache.TryGet("users-net", 1, out var loaded));
        var plans = SaliencyMethods.All.Select(m => new EvaluationMethodPlan(m, 2)).ToList();

        var (table, reasons) = loaded.Explain(m => (
            new SaliencyEvaluator().Evaluate(m, new RandomBoxes(), [0, 1, 2, 3], plans,
                new EvaluationSubject("users-net", 1, "test:random-boxes", "all images"), new SaliencyOptions { RiseMasks = 32 }),
            SaliencyMethods.All.ToDictionary(method => method.Name, method => SaliencyMethods.Supports(method, m, out var reason) ? null : reason)));

        var scored = table.Methods.Where(r => r.Unsupported is null).Select(r => r.Method).ToList();
        Assert.Equal(["scorecam", "ablationcam", "eigencam", "occlusion", "rise"], scored);
        Assert.All(table.Methods.Where(r => r.Unsupported is null), r => Assert.True(r.Images == 2 && double.IsFinite(r.EnergyPointingGame.Mean), r.Method));
        Assert.Equal(reasons, table.Methods.ToDictionary(r => r.Method, r => r.Unsupported));
        Assert.All(table.Methods.Where(r => r.Unsupported is not null), r => Assert.Equal(0, r.Images));

        Assert.Contains("backward graph", table.Methods.Single(r => r.Method == "gradcam").Unsupported, StringComparison.Ordinal);
        Assert.Equal(0, cache.OrtValues.Live);
    }

    /// <summary>8×8 images of noise with a 3×3 bright box, the box as mask; labels cycle through the three classes.</summary>
    private sealed class RandomBoxes : IDataset
    {
        public string Reference => "test:random-boxes";

        public IReadOnlyList<string> ClassNames => ["a", "b", "c"];

        public int Channels => 1;

        public int Height => TinyConvNet.Size;

        public int Width => TinyConvNet.Size;

        public int Count => 4;

        public InputNormalization Normalization => InputNormalization.Window(1);

        public bool HasMasks => true;

        public int LabelOf(int index) => index % 3;

        public Sample Get(int index)
        {
            var pixels = TinyConvNet.Image(index + 10);
            var mask = new float[pixels.Length];
            for (var y = 2; y < 5; y++)
            {
                for (var x = 1 + index; x < 4 + index; x++)
                {
                    pixels[(y * TinyConvNet.Size) + x] = 2f;
                    mask[(y * TinyConvNet.Size) + x] = 1f;
                }
            }

            return new Sample(pixels, LabelOf(index), mask);
        }
    }
}
