using System.Net;
using System.Net.Http.Json;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// Explanation work per API key: 100 000 pass-pixels a minute on a clock that stands still (no refill during the
/// test). On the 1×8×8 conv net RISE with 1 561 masks costs 1 562 × 64 = 99 968 (leaving 32), Grad-CAM ⌈1.1 × 64⌉ = 71
/// (its pass pruned to ∂y_c/∂A).
/// </summary>
public sealed class WorkRateLimitTests() : ConvNetApplication(
    new Dictionary<string, string?> { ["ExplainApi:RateLimit:WorkPerMinute"] = "100000", ["ExplainApi:Explain:MaxQueuedExplanations"] = "0" }, s => s.AddSingleton<TimeProvider>(new StoppedClock()))
{
    [Fact]
    public async Task One_rise_request_empties_a_keys_bucket_while_twenty_grad_cam_requests_of_another_key_pass()
    {
        using var expensive = Factory.CreateClient(ExplainApiFactory.InferKey);
        using var cheap = Factory.CreateClient(ExplainApiFactory.AdminKey);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await cheap.PostAsJsonAsync("/v2/models/conv/explain", GradCam)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await expensive.PostAsJsonAsync("/v2/models/conv/explain", Rise)).StatusCode);
        var refused = await expensive.PostAsJsonAsync("/v2/models/conv/explain", GradCam);

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "urn:explainapi:problem:rate-limited");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("100000 pass-pixels of explanation work per minute and this request costs 71", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await cheap.PostAsJsonAsync("/v2/models/conv/explain", GradCam)).StatusCode);
    }

    [Fact]
    public async Task Work_refused_as_explain_busy_is_given_back()
    {
        using (var everySlot = await Admission.EnterAsync(long.MaxValue, CancellationToken.None))
        {
            await ProblemAssert.IsProblemAsync(await Client.PostAsJsonAsync("/v2/models/conv/explain", Rise), HttpStatusCode.ServiceUnavailable, "urn:explainapi:problem:explain-busy");
        }

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v2/models/conv/explain", Rise)).StatusCode);
    }

    private static object GradCam => SaliencyFixture.KServeTensor(1, new { method = "gradcam" });

    private static object Rise => SaliencyFixture.KServeTensor(1, new { method = "rise", riseMasks = 1561 });
}
