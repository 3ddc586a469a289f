using System.Net;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Onnx.Tests.Explaining;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Api;

/// <summary>
/// Decoding admission with room for 100 000 pixels. The test holds 80 000 itself (a large render in flight,
/// without depending on how long one takes), so what is refused and what passes is decided by the limiter.
/// </summary>
public sealed class DecodeAdmissionTests : IDisposable
{
    private readonly SmallFactory factory = new();

    private DecodeAdmission Admission => factory.Services.GetRequiredService<DecodeAdmission>();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task A_large_render_beyond_the_pixels_in_flight_is_503_decode_busy_while_small_images_pass_and_the_pixels_come_back()
    {
        using var client = factory.CreateClient(ExplainApiFactory.InferKey);
        using (var inFlight = Admission.TryEnter(80_000))
        {
            Assert.True(inFlight.IsAcquired);

            using var large = TestImages.PngContent(TestImages.Gradient8(200, 200));
            var busy = await client.PostAsync("/v1/images/render", large);
            var problem = await ProblemAssert.IsProblemAsync(busy, HttpStatusCode.ServiceUnavailable, "urn:explainapi:problem:decode-busy");
            Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
            Assert.Contains("of 100000 pixels", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            using var small = TestImages.PngContent(TestImages.Gradient8(64, 64));
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/images/render", small)).StatusCode);
            using var smallToo = TestImages.PngContent(TestImages.Gradient8(64, 64));
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/images/inspect", smallToo)).StatusCode);
        }

        await Eventually.UntilAsync(() => Admission.InUse == 0, "the small images kept their pixels");
        using var again = TestImages.PngContent(TestImages.Gradient8(200, 200));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/images/render", again)).StatusCode);
        await Eventually.UntilAsync(() => Admission.InUse == 0, "the large render kept its pixels");
    }

    [Fact]
    public async Task An_image_that_fails_after_its_header_was_admitted_gives_its_pixels_back()
    {
        using var client = factory.CreateClient(ExplainApiFactory.InferKey);
        var png = TestImages.Gradient8(200, 200);
        png[^20] ^= 0xFF; // inside the last chunks: the header (and the reservation) pass, the CRC check fails

        using var corrupt = TestImages.PngContent(png);
        var response = await client.PostAsync("/v1/images/render", corrupt);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        await Eventually.UntilAsync(() => Admission.InUse == 0, "the failed request kept its pixels");
        using var whole = TestImages.PngContent(TestImages.Gradient8(300, 300));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/images/inspect", whole)).StatusCode);
    }

    [Fact]
    public async Task Images_of_one_request_that_together_exceed_the_capacity_are_413_not_busy()
    {
        await SaliencyFixture.RegisterAsync(factory, "conv", TinyConvNet.Exported(), allowResize: true);
        using var client = factory.CreateClient(ExplainApiFactory.InferKey);
        await SaliencyFixture.WaitUntilReadyAsync(client, "conv", 1);
        using var form = new MultipartFormDataContent
        {
            { TestImages.PngContent(TestImages.Gradient8(200, 200)), "image", "a.png" },
            { TestImages.PngContent(TestImages.Gradient8(300, 300)), "image", "b.png" },
        };

        var response = await client.PostAsync("/v1/models/conv/saliency", form);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "urn:explainapi:problem:image-too-large");
        Assert.Contains("130000 pixels together; at most 100000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Eventually.UntilAsync(() => Admission.InUse == 0, "the refused request kept its pixels");
    }

    private sealed class SmallFactory : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["ExplainApi:Limits:MaxDecodingPixelsInFlight"] = "100000" };
    }
}
