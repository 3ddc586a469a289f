using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;

namespace ExplainApi.Onnx.Tests.Serving;

public sealed class SegmentationServingTests : IDisposable
{
    private const int Size = 4;
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("segmentation-serving-");
    private readonly ModelSessionCache cache = new(new OnnxSessionFactory(), AcceleratorPreference.Cpu);

    [Fact]
    public async Task A_segmentation_version_gets_the_segmentation_adapter_whose_probabilities_are_the_graph_softmax()
    {
        var (manifest, folder) = Version("seg", TinySegmenter.Build(Size));

        Assert.Equal(ModelSessionState.Ready, (await cache.EnsureLoadedAsync(manifest, folder)).State);
        Assert.True(cache.TryGet("seg", 1, out var model));
        var adapter = Assert.IsType<SegmentationAdapter>(model.Adapter);
        Assert.True(ModelAdapters.Serves(ModelTask.Segmentation));

        float[] x = [.. Enumerable.Range(0, 2 * Size * Size).Select(i => (i % 7 / 3f) - 1f)];
        var probabilities = adapter.Segment(x, 2);

        Assert.Equal(2 * 3 * Size * Size, probabilities.Length);
        var plane = Size * Size;
        for (var n = 0; n < 2; n++)
        {
            for (var p = 0; p < plane; p++)
            {
                var value = x[(n * plane) + p];
                double[] logits = [0, 4 * (value - 0.5), 4 * (-value - 0.5)];
                var sum = logits.Sum(Math.Exp);
                for (var k = 0; k < 3; k++)
                {
                    Assert.Equal(Math.Exp(logits[k]) / sum, probabilities[(((n * 3) + k) * plane) + p], 5);
                }
            }
        }
        Assert.Equal(0, cache.OrtValues.Live);
    }

    [Fact]
    public async Task A_graph_without_probabilities_fails_to_load_naming_the_contract()
    {
        var (manifest, folder) = Version("no-probabilities", TinySegmenter.Build(Size, output: "scores"));

        var status = await cache.EnsureLoadedAsync(manifest, folder);

        Assert.Equal(ModelSessionState.Failed, status.State);
        Assert.Contains("is not a segmenter: it has no output 'probabilities'", status.FailureReason, StringComparison.Ordinal);
    }

    private (ModelManifest Manifest, string Folder) Version(string name, byte[] onnx)
    {
        var folder = temp.CreateSubdirectory(name).FullName;
        File.WriteAllBytes(Path.Combine(folder, "segmenter.onnx"), onnx);
        var manifest = new ModelManifest(name, 1, ModelTask.Segmentation, new ModelInputSpec(1, Size, Size, InputNormalization.Window(1), AllowResize: true),
            [new ModelGraph("segmenter", "segmenter.onnx")], null, null, null, null, new Dictionary<string, double>(), DateTimeOffset.UnixEpoch,
            new Dictionary<string, string> { ["segmenter.onnx"] = "" }, Segmentation: new SegmentationSection(TinySegmenter.ClassNames, "segmenter", "ground-truth"));
        return (manifest, folder);
    }

    public void Dispose()
    {
        cache.Dispose();
        temp.Delete(recursive: true);
    }
}
