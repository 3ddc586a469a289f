using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Host.Explaining.Admission;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Serving;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Explaining;

/// <summary>
/// Admission control with one slot and one queue place. The tests take the slot themselves through
/// <see cref="ExplainAdmission"/> (a request that is computing, without depending on how long one takes), so what
/// queues, what is refused and what is freed is decided by the limiter, not by timing.
/// </summary>
public sealed class ExplainAdmissionTests() : ConvNetApplication(new Dictionary<string, string?>
{
    ["ExplainApi:Explain:MaxConcurrentExplanations"] = "1",
    ["ExplainApi:Explain:MaxQueuedExplanations"] = "1",
    ["ExplainApi:Explain:RetryAfterSeconds"] = "7",
    ["Serilog:MinimumLevel:Default"] = "Debug",
})
{
    [Fact]
    public async Task Beyond_one_running_and_one_queued_both_routes_answer_503_explain_busy_with_retry_after_and_the_queued_one_succeeds()
    {
        var held = await Admission.EnterAsync(CancellationToken.None);
        Assert.True(held.IsAcquired);
        Task<HttpResponseMessage> queued;
        try
        {
            queued = Client.PostAsJsonAsync("/v2/models/conv/explain", Tensor(1, "rise", 64));
            await Eventually.UntilAsync(() => Admission.Queued == 1, "the second request did not queue");

            var busyV2 = await Client.PostAsJsonAsync("/v2/models/conv/explain", Tensor(1, "gradcam", 8));
            await ProblemAssert.IsProblemAsync(busyV2, HttpStatusCode.ServiceUnavailable, "urn:explainapi:problem:explain-busy");
            Assert.Equal(TimeSpan.FromSeconds(7), busyV2.Headers.RetryAfter?.Delta);

            using var png = TestImages.PngContent(TestImages.Gradient8(8, 8));
            var busyV1 = await Client.PostAsync("/v1/models/conv/saliency?method=gradcam", png);
            await ProblemAssert.IsProblemAsync(busyV1, HttpStatusCode.ServiceUnavailable, "urn:explainapi:problem:explain-busy");
            Assert.Equal(TimeSpan.FromSeconds(7), busyV1.Headers.RetryAfter?.Delta);

            var platform = await Client.GetFromJsonAsync<JsonElement>("/v1/platform");
            var explanations = platform.GetProperty("explanations");
            Assert.Equal((1, 1, 1, 1), (explanations.GetProperty("maxConcurrentExplanations").GetInt32(), explanations.GetProperty("maxQueuedExplanations").GetInt32(),
                explanations.GetProperty("running").GetInt32(), explanations.GetProperty("queued").GetInt32()));
            Assert.False(queued.IsCompleted);
        }
        finally
        {
            held.Dispose();
        }

        var response = await queued;
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal((0, 0), (Admission.Running, Admission.Queued));
        Assert.Equal(0, Cache.OrtValues.Live);
    }

    [Fact]
    public async Task Bad_input_is_answered_at_once_while_every_slot_and_queue_place_is_taken()
    {
        using var held = await Admission.EnterAsync(CancellationToken.None);
        using var queuedPlace = new CancellationTokenSource();
        var waiter = Admission.EnterAsync(queuedPlace.Token).AsTask();
        Assert.Equal((1, 1), (Admission.Running, Admission.Queued));

        await ProblemAssert.IsProblemAsync(await Client.PostAsJsonAsync("/v2/models/conv/explain", Tensor(1, "nope", 8)),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:method-unknown");
        await ProblemAssert.IsProblemAsync(await Client.PostAsJsonAsync("/v2/models/conv/explain", new { inputs = new[] { new { name = "input", shape = new[] { 1, 1, 4, 4 }, datatype = "FP32", data = new float[16] } } }),
            HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:input-shape-mismatch");
        using var png = TestImages.PngContent(TestImages.Gradient8(8, 8));
        await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/models/conv/saliency?method=rise&riseMasks=0", png),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
        await ProblemAssert.IsProblemAsync(await Client.PostAsJsonAsync("/v2/models/missing/explain", Tensor(1, "gradcam", 8)),
            HttpStatusCode.NotFound, "urn:explainapi:problem:model-not-found");

        await queuedPlace.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_leaves_the_queue_and_the_next_request_succeeds()
    {
        using (await Admission.EnterAsync(CancellationToken.None))
        {
            using var gone = new CancellationTokenSource();
            var request = Client.PostAsJsonAsync("/v2/models/conv/explain", Tensor(1, "rise", 64), gone.Token);
            await Eventually.UntilAsync(() => Admission.Queued == 1, "the request did not queue");

            await gone.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
            await Eventually.UntilAsync(() => Admission.Queued == 0, "the cancelled request kept its queue place");
        }

        var next = await Client.PostAsJsonAsync("/v2/models/conv/explain", Tensor(1, "gradcam", 8));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_request_cancelled_while_computing_stops_between_batches_frees_its_slot_and_leaves_no_ort_values()
    {
        // 16 images × 10000 RISE masks = 10000 forward calls of 16 items, two OrtValues each (20000 for the whole run);
        // fewer than half of them means the run stopped early.
        const int HalfTheRun = 10_000;
        var before = Cache.OrtValues.Created;
        // The fixture's log is shared: an earlier test's readiness probe may have logged a 503 while the model loaded.
        var logsBefore = Factory.LogEvents.Count;
        using var gone = new CancellationTokenSource();
        var request = Client.PostAsJsonAsync("/v2/models/conv/explain", Tensor(16, "rise", 10_000), gone.Token);
        await Eventually.UntilAsync(() => Admission.Running == 1, "the request never started computing");

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Eventually.UntilAsync(() => Admission.Running == 0, "the cancelled request kept its slot");

        Assert.Equal(0, Cache.OrtValues.Live);
        var created = Cache.OrtValues.Created - before;
        Assert.True(created < HalfTheRun, $"{created} OrtValues were created: the run was not stopped early.");
        var next = await Client.PostAsJsonAsync("/v2/models/conv/explain", Tensor(1, "gradcam", 8));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(0, Cache.OrtValues.Live);
        // A client that left is no error of ours; the admission control says what happened at debug level.
        var logs = Factory.LogEvents.Skip(logsBefore).ToList();
        Assert.DoesNotContain(logs, e => e.Level >= Serilog.Events.LogEventLevel.Error);
        Assert.Contains(logs, e => e.Level == Serilog.Events.LogEventLevel.Debug && e.MessageTemplate.Text.StartsWith("Explanation of {Model} finished", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MaxConcurrentExplanations", "0")]
    [InlineData("MaxQueuedExplanations", "-1")]
    [InlineData("MaxWorkPerRequest", "0")]
    [InlineData("WorkPerSlot", "0")]
    [InlineData("DeadlineSeconds", "0")]
    public void A_bad_setting_stops_the_service_at_start(string setting, string value)
    {
        using var bad = new BadSettingFactory(setting, value);

        Assert.Contains(setting, bad.StartFailure(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_options_default_to_four_slots_per_processor_and_32_queue_places()
    {
        var options = new ExplainOptions();

        Assert.Equal((4 * Environment.ProcessorCount, 32), (options.MaxConcurrentExplanations, options.MaxQueuedExplanations));
    }

    private static object Tensor(int images, string method, int riseMasks) => SaliencyFixture.KServeTensor(images, new { method, riseMasks, seed = 1 });

    private sealed class BadSettingFactory(string setting, string value) : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["ExplainApi:Explain:" + setting] = value };
    }
}
