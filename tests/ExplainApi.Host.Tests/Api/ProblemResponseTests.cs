using System.Net;
using ExplainApi.Core.Imaging;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExplainApi.Host.Tests.Api;

/// <summary>Every error status the service answers is an RFC 9457 document with a trace id.</summary>
public sealed class ProblemResponseTests(ProblemResponseTests.TightFactory factory) : IClassFixture<ProblemResponseTests.TightFactory>
{
    public sealed class TightFactory : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ExplainApi:Limits:MaxImageBytes"] = "4096",
            ["ExplainApi:Limits:MaxWidth"] = "64",
            ["ExplainApi:Limits:MaxHeight"] = "64",
        };
    }

    private HttpClient Client => factory.CreateClient(ExplainApiFactory.InferKey);

    [Fact]
    public async Task An_unknown_route_is_404_problem()
    {
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/v1/no-such-thing"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_json_body_that_does_not_parse_is_our_400_problem_quoting_nothing()
    {
        var client = factory.CreateClient(ExplainApiFactory.TrainKey);

        var response = await client.PostAsync("/v1/jobs", new StringContent("{\"kind\": CLIENT-TEXT", System.Text.Encoding.UTF8, "application/json"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);
        Assert.DoesNotContain("CLIENT-TEXT", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_method_is_405_problem()
    {
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/v1/images/inspect"), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task A_text_body_is_415_before_anything_is_read()
    {
        var response = await Client.PostAsync("/v1/images/inspect", TestImages.Content("hello"u8.ToArray(), "text/plain"));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
        Assert.Contains("text/plain", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_byte_limit_is_413()
    {
        var response = await Client.PostAsync("/v1/images/inspect", TestImages.Content(new byte[5000], "image/png"));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.ImageTooLarge);
        Assert.Contains("4096", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_over_the_dimension_limit_is_413_naming_the_limit()
    {
        var response = await Client.PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(65, 2)));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.ImageTooLarge);
        Assert.Contains("64x64", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undecodable_bytes_are_400()
    {
        // A bad chunk CRC is corrupt (400); a file cut short is truncated (422, TruncatedImageEndpointTests).
        var corrupt = TestImages.Gradient8(16, 16);
        corrupt[20] ^= 0x01;
        await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/images/inspect", TestImages.PngContent(corrupt)),
            HttpStatusCode.BadRequest, ProblemTypes.ImageMalformed);
        await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/images/inspect", TestImages.Content("not an image at all"u8.ToArray(), "application/octet-stream")),
            HttpStatusCode.BadRequest, ProblemTypes.ImageMalformed);
    }

    [Fact]
    public async Task A_negative_slice_is_400_naming_the_parameter()
    {
        var response = await Client.PostAsync("/v1/images/inspect?slice=-1", TestImages.PngContent(TestImages.Gradient8(4, 4)));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);
        Assert.Contains("slice", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_inside_the_service_is_500_without_internals()
    {
        using var failing = new FailingDecoderFactory();
        var response = await failing.CreateClient(ExplainApiFactory.InferKey)
            .PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(4, 4)));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError, ProblemTypes.Internal);
        Assert.DoesNotContain("decoder exploded", problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", problem.GetRawText(), StringComparison.Ordinal);

        // The log names the type and a kind of failure; the message (which may quote a client) is in no event.
        var logged = Assert.Single(failing.LogEvents, e => e.Properties.ContainsKey("FailureKind"));
        Assert.Equal("\"System.InvalidOperationException\"", logged.Properties["ExceptionType"].ToString());
        Assert.Equal("\"invalid-state\"", logged.Properties["FailureKind"].ToString());
        Assert.DoesNotContain(Uploads.MultipartBodies.Rendered(failing.LogEvents), line => line.Contains("decoder exploded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_body_failure_surfacing_as_an_exception_is_400_with_our_text_and_logs_nothing_of_it()
    {
        using var failing = new FailingDecoderFactory(() => new Microsoft.AspNetCore.Connections.ConnectionResetException("client said boundary-zzz"));
        var reset = await failing.CreateClient(ExplainApiFactory.InferKey).PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(4, 4)));
        using var kestrel = new FailingDecoderFactory(() => new Microsoft.AspNetCore.Http.BadHttpRequestException("client said boundary-zzz"));
        var bad = await kestrel.CreateClient(ExplainApiFactory.InferKey).PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(4, 4)));

        foreach (var (response, factory) in new[] { (reset, failing), (bad, kestrel) })
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);
            Assert.DoesNotContain("boundary-zzz", problem.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(Uploads.MultipartBodies.Rendered(factory.LogEvents), line => line.Contains("boundary-zzz", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Too_many_requests_are_429_with_retry_after()
    {
        using var limited = new RateLimitedFactory();
        var client = limited.CreateClient(ExplainApiFactory.InferKey);
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await client.PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(4, 4)));
        }

        await ProblemAssert.IsProblemAsync(last!, HttpStatusCode.TooManyRequests, ProblemTypes.RateLimited);
        Assert.NotNull(last!.Headers.RetryAfter);

        // Health probes are never limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
    }

    private sealed class RateLimitedFactory : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ExplainApi:RateLimit:PermitsPerWindow"] = "2",
            ["ExplainApi:RateLimit:WindowSeconds"] = "3600",
        };
    }

    /// <summary>The application with a PNG decoder that throws what the test says.</summary>
    private sealed class FailingDecoderFactory(Func<Exception>? failure = null) : ExplainApiFactory
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.Replace(ServiceDescriptor.Singleton(new ImageReader([new ExplodingDecoder(failure ?? (() => new InvalidOperationException("decoder exploded")))])));

        private sealed class ExplodingDecoder(Func<Exception> failure) : IImageDecoder
        {
            public ImageFormat Format => ImageFormat.Png;

            public ImageTensor Decode(ReadOnlyMemory<byte> data, DecodeOptions options, ImageLimits limits) => throw failure();
        }
    }
}
