using System.Net;
using System.Net.Http.Json;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>The server-side deadline of an explanation (1 s here), on the tiny 1×8×8 conv net.</summary>
public sealed class ExplanationDeadlineTests() : ConvNetApplication(new Dictionary<string, string?> { ["ExplainApi:Explain:DeadlineSeconds"] = "1" })
{
    [Fact]
    public async Task An_explanation_past_its_deadline_is_stopped_with_504_its_slot_freed_and_no_ort_values_left()
    {
        // 16 images × 10 000 RISE masks: 10 000 forward calls, far more than the 1 s deadline allows.
        var before = Cache.OrtValues.Created;

        var response = await Client.PostAsJsonAsync("/v2/models/conv/explain", SaliencyFixture.KServeTensor(16, new { method = "rise", riseMasks = 10_000 }));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.GatewayTimeout, "urn:explainapi:problem:explanation-deadline-exceeded");
        Assert.Contains("1 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((0, 0), (Admission.Running, Admission.Queued));
        Assert.Equal(0, Cache.OrtValues.Live);
        Assert.True(Cache.OrtValues.Created - before < 20_000, "the run was not stopped early");
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v2/models/conv/explain", SaliencyFixture.KServeTensor(1, new { method = "gradcam" }))).StatusCode);
    }
}
