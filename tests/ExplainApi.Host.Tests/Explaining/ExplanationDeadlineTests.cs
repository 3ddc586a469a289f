using System.Net;
using System.Net.Http.Json;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// The server-side deadline of an explanation (1 s configured), on the tiny 1×8×8 conv net. Its clock makes every
/// deadline pass as soon as it is set, so the test does not depend on how fast this machine runs the work.
/// </summary>
public sealed class ExplanationDeadlineTests() : ConvNetApplication(
    new Dictionary<string, string?> { ["ExplainApi:Explain:DeadlineSeconds"] = "1" },
    services => services.AddKeyedSingleton<TimeProvider>(AdmittedExplanation.DeadlineClock, new PassedDeadlines()))
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
        // The slot came back: the next request is admitted (and meets the same passed deadline), not refused busy.
        await ProblemAssert.IsProblemAsync(await Client.PostAsJsonAsync("/v2/models/conv/explain", SaliencyFixture.KServeTensor(1, new { method = "gradcam" })),
            HttpStatusCode.GatewayTimeout, "urn:explainapi:problem:explanation-deadline-exceeded");
    }
}

/// <summary>A clock on which every timer fires at once, before CreateTimer returns (a queued callback could wait behind the work).</summary>
internal sealed class PassedDeadlines : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        callback(state);
        return new Fired();
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
