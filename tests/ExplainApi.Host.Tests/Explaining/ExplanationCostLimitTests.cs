using System.Net;
using System.Net.Http.Json;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// The per-request work budget and cost-weighted admission, on the tiny 1×8×8 conv net (64 pixels, K = 2):
/// Grad-CAM costs 4.5 × 64 = 288 pass-pixels an image, the issue's worst request about 1 000 000 an image.
/// </summary>
public sealed class ExplanationCostLimitTests() : ConvNetApplication(new Dictionary<string, string?>
{
    ["ExplainApi:Explain:MaxWorkPerRequest"] = "500000",
    ["ExplainApi:Explain:MaxConcurrentExplanations"] = "3",
    ["ExplainApi:Explain:MaxQueuedExplanations"] = "0",
    ["ExplainApi:Explain:WorkPerSlot"] = "10000",
})
{
    private const string Worst = "method=all&riseMasks=10000&smoothGradSamples=500&integratedGradientsSteps=1000&occlusionPatch=1";

    [Fact]
    public async Task The_issues_worst_request_is_refused_422_on_both_routes_naming_cost_and_limit_before_any_model_pass()
    {
        var created = Cache.OrtValues.Created;
        using var png = TestImages.PngContent(TestImages.Gradient8(8, 8));

        var v1 = await ProblemAssert.IsProblemAsync(await Client.PostAsync($"/v1/models/conv/saliency?{Worst}", png),
            HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:explanation-too-costly");
        var v2 = await ProblemAssert.IsProblemAsync(await Client.PostAsJsonAsync("/v2/models/conv/explain",
            SaliencyFixture.KServeTensor(16, new { method = "all", riseMasks = 10_000, smoothGradSamples = 500, integratedGradientsSteps = 1000, occlusionPatch = 1 })),
            HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:explanation-too-costly");

        var (one, sixteen) = (v1.GetProperty("cost").GetInt64(), v2.GetProperty("cost").GetInt64());
        Assert.InRange(one, 900_000, 1_100_000);
        Assert.InRange(sixteen, (16 * one) - 16, 16 * one);
        Assert.Equal(500_000, v2.GetProperty("limit").GetInt64());
        Assert.Contains($"costs {sixteen} pass-pixels", v2.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("limit per request is 500000", v2.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(created, Cache.OrtValues.Created);
        Assert.Equal(0, Admission.Running);
    }

    [Fact]
    public void By_default_any_one_method_on_16_images_at_224_passes_and_the_issues_worst_request_does_not()
    {
        var limit = new ExplainOptions().MaxWorkPerRequest;
        var model = new ShapeOnlyModel(new ModelShape(3, 224, 224, 2), new ActivationShape(2048, 7, 7));
        var worst = SaliencyOptions.Default with { RiseMasks = 10_000, SmoothGradSamples = 500, IntegratedGradientsSteps = 1000, OcclusionPatch = 1 };

        Assert.All(SaliencyMethods.All, m => Assert.True(ExplanationCost.Of(model, [m], SaliencyOptions.Default, 16) <= limit, m.Name));
        Assert.True(ExplanationCost.Of(model, SaliencyMethods.All, worst, 16) > 10 * limit);
    }

    [Fact]
    public async Task One_expensive_request_holds_two_of_three_slots_so_a_second_one_gets_503_while_a_cheap_one_runs()
    {
        // WorkPerSlot 10 000: RISE with 200 masks costs 201 × 64 = 12 864 (2 slots), Grad-CAM 288 (1 slot).
        Assert.Equal((2, 1), (Admission.SlotsFor(12_864), Admission.SlotsFor(288)));
        using (var first = await Admission.EnterAsync(12_864, CancellationToken.None))
        {
            Assert.Equal(2, Admission.Running);

            var second = await Client.PostAsJsonAsync("/v2/models/conv/explain", SaliencyFixture.KServeTensor(1, new { method = "rise", riseMasks = 200 }));
            var busy = await ProblemAssert.IsProblemAsync(second, HttpStatusCode.ServiceUnavailable, "urn:explainapi:problem:explain-busy");
            Assert.NotNull(second.Headers.RetryAfter);
            Assert.Contains("needs 2", busy.GetProperty("detail").GetString(), StringComparison.Ordinal);

            var cheap = await Client.PostAsJsonAsync("/v2/models/conv/explain", SaliencyFixture.KServeTensor(1, new { method = "gradcam" }));
            Assert.Equal(HttpStatusCode.OK, cheap.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v2/models/conv/explain", SaliencyFixture.KServeTensor(1, new { method = "rise", riseMasks = 200 }))).StatusCode);
        Assert.Equal((0, 0), (Admission.Running, Admission.Queued));
    }

    // Only a shape: what the cost model reads.
    private sealed class ShapeOnlyModel(ModelShape shape, ActivationShape activations) : IExplainableModel
    {
        public ModelShape Shape => shape;

        public ActivationShape? ActivationShape => activations;

        public string? TargetLayer => "layer4";

        public bool HasActivations => true;

        public bool HasGradients => true;

        public bool HasLinearHead => true;

        public bool HasSeparableHead => true;

        public int MaxBatch => 16;

        public ForwardPass Forward(float[] inputs, int batch) => throw new NotSupportedException();

        public GradientPass Gradients(float[] inputs, int batch, int[] targets) => throw new NotSupportedException();

        public float[] HeadWeights(int targetClass) => throw new NotSupportedException();

        public float[] HeadLogits(float[] activations, int batch) => throw new NotSupportedException();
    }
}
