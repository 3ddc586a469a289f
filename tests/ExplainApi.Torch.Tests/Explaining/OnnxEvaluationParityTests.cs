using System.Text.Json.Nodes;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Core.Saliency.Evaluation;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Saliency.Metrics;
using ExplainApi.Onnx;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Serving.Adapters;
using ExplainApi.Torch.Tests.Training;
using ExplainApi.Torch.Tests.Training.Classifier;
using ExplainApi.Torch.Training.Classifier;

namespace ExplainApi.Torch.Tests.Explaining;

/// <summary>
/// The evaluate job scores the served ONNX model (ONNX Runtime, the exported backward graph); this holds that table
/// against the same classifier rebuilt from weights.bin with libtorch autograd: every method, every metric within 1e-4.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class OnnxEvaluationParityTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task Evaluating_a_trained_classifier_through_onnx_runtime_gives_the_libtorch_table()
    {
        using var run = new TrainingTestRun();
        var dataset = new SquaresDataset(count: 48, size: 16, seed: 6);
        var options = new JsonObject { ["epochs"] = 2, ["batchSize"] = 16, ["width"] = 8, ["depth"] = 2, ["stemStride"] = 2 };
        var trained = await new ClassifierTrainer().TrainAsync(run.Create(dataset, options), CancellationToken.None);
        var plans = SaliencyMethods.All.Select(m => new EvaluationMethodPlan(m, m.Name is "rise" or "scorecam" or "occlusion" ? 2 : 4)).ToList();
        var subject = new EvaluationSubject("parity", 1, dataset.Reference, "all images");
        var settings = new SaliencyOptions { RiseMasks = 64, SmoothGradSamples = 4, IntegratedGradientsSteps = 8, Seed = 3 };
        var subset = Enumerable.Range(0, dataset.Count).ToArray();

        SaliencyEvaluationTable expected;
        using (var torchModel = ClassifierWeights.Load(Path.Combine(run.Output, trained.OtherFiles[0]), options, 1, 16, 16, 2))
        {
            expected = new SaliencyEvaluator().Evaluate(torchModel, dataset, subset, plans, subject, settings);
        }

        using var cache = new ModelSessionCache(new OnnxSessionFactory(), AcceleratorPreference.Cpu);
        var manifest = new ModelManifest("parity", 1, trained.Task, trained.Input, trained.Graphs, trained.Classification, null, null, dataset.Reference,
            trained.Metrics, DateTimeOffset.UnixEpoch, new Dictionary<string, string>());
        var status = await cache.EnsureLoadedAsync(manifest, run.Output);
        Assert.True(status.State == ModelSessionState.Ready, status.FailureReason);
        Assert.True(cache.TryGet("parity", 1, out var loaded));
        var actual = loaded.Explain(m => new SaliencyEvaluator().Evaluate(m, dataset, subset, plans, subject, settings));

        Assert.Equal(expected.CandidateImages, actual.CandidateImages);
        Assert.Equal(expected.ModelAccuracy, actual.ModelAccuracy, Tolerance);
        Assert.Equal(expected.Methods.Select(m => (m.Method, m.Images, m.SignedMap, m.Unsupported)), actual.Methods.Select(m => (m.Method, m.Images, m.SignedMap, m.Unsupported)));
        Assert.All(actual.Methods, m => Assert.True(m.Unsupported is null && m.Images > 0, m.Method));
        foreach (var (torch, onnx) in expected.Methods.Zip(actual.Methods))
        {
            foreach (var (name, e, a) in Metrics(torch).Zip(Metrics(onnx), (e, a) => (e.Name, e.Value, a.Value)))
            {
                Assert.True(Math.Abs(e.Mean - a.Mean) <= Tolerance && Math.Abs(e.StandardDeviation - a.StandardDeviation) <= Tolerance,
                    $"{torch.Method} {name}: libtorch {e}, ONNX Runtime {a}");
            }
        }

        Assert.Equal(0, cache.OrtValues.Live);
    }

    private static IEnumerable<(string Name, MetricSummary Value)> Metrics(MethodEvaluation m) =>
    [
        ("pointing game", m.PointingGame), ("energy", m.EnergyPointingGame), ("NCC signed", m.NccSigned),
        ("NCC absolute", m.NccAbsolute), ("deletion", m.DeletionAuc), ("insertion", m.InsertionAuc),
    ];
}
