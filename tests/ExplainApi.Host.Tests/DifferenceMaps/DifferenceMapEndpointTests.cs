using System.Globalization;
using System.Net;
using System.Text.Json;
using ExplainApi.Core.Imaging;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Models;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.DifferenceMaps;
using ExplainApi.Imaging.Skia;
using Microsoft.Extensions.DependencyInjection;
using ExplainApi.Onnx.Tests.Serving;

namespace ExplainApi.Host.Tests.DifferenceMaps;

public sealed class DifferenceMapEndpointTests(DifferenceMapFixture fixture) : IClassFixture<DifferenceMapFixture>
{
    private const int Size = DifferenceMapFixture.Size;

    [Fact]
    public async Task The_JSON_answer_has_the_map_the_translation_and_the_classifier_on_both_images()
    {
        var body = await JsonAsync("/v1/models/gan/difference-map?raw=true");

        var input = DifferenceMapFixture.GradientInput();
        var translated = TinyGenerator.Reference(input, 1, Size, DifferenceMapFixture.SeedA2B);
        var image = Assert.Single(body.GetProperty("images").EnumerateArray());
        var raw = DifferenceMapFixture.Floats(image.GetProperty("raw"));
        Assert.Equal(input.Zip(translated, (x, y) => y - x), raw, Close);
        Assert.Equal([1, Size, Size], image.GetProperty("rawShape").EnumerateArray().Select(d => d.GetInt32()));

        var before = DifferenceMapFixture.Probabilities(input);
        var after = DifferenceMapFixture.Probabilities(translated);
        Assert.Equal(before, image.GetProperty("originalProbabilities").EnumerateArray().Select(p => p.GetProperty("probability").GetDouble()), Near);
        Assert.Equal(after, image.GetProperty("translatedProbabilities").EnumerateArray().Select(p => p.GetProperty("probability").GetDouble()), Near);
        var predicted = SaliencyFixture.Classes[Array.IndexOf(after, after.Max())];
        Assert.Equal(predicted, image.GetProperty("translatedClass").GetString());
        Assert.Equal(predicted == "lesion", image.GetProperty("classFlipped").GetBoolean());

        // VA-GAN shows −(translated − input): the scale is the largest |map|, stated with the convention.
        Assert.Equal(-1, body.GetProperty("displaySign").GetInt32());
        Assert.StartsWith("display = −(translated − input)", body.GetProperty("display").GetString(), StringComparison.Ordinal);
        Assert.Equal(raw.Max(Math.Abs), image.GetProperty("mapScale").GetSingle(), 5);
        Assert.Equal(new PngHeader(Size, Size, 8, 2), PngHeader.Read(Convert.FromBase64String(image.GetProperty("map").GetString()!)));
        Assert.Equal(new PngHeader(Size, Size, 8, 0), PngHeader.Read(Convert.FromBase64String(image.GetProperty("translated").GetString()!)));

        Assert.Equal("a2b", body.GetProperty("direction").GetProperty("name").GetString());
        Assert.Equal("difference-map", body.GetProperty("manifest").GetProperty("task").GetString());
        var classifier = body.GetProperty("classifier");
        Assert.Equal(("judge", 1, true), (classifier.GetProperty("name").GetString(), classifier.GetProperty("version").GetInt32(), classifier.GetProperty("used").GetBoolean()));
        Assert.Equal(0, fixture.Cache.OrtValues.Live);
    }

    [Fact]
    public async Task Direction_b2a_runs_its_own_generator_and_an_unknown_direction_names_the_ones_the_model_has()
    {
        var body = await JsonAsync("/v1/models/gan/difference-map?direction=b2a&raw=true");
        var input = DifferenceMapFixture.GradientInput();
        var expected = TinyGenerator.Reference(input, 1, Size, DifferenceMapFixture.SeedB2A).Zip(input, (y, x) => y - x);
        Assert.Equal(expected, DifferenceMapFixture.Floats(body.GetProperty("images")[0].GetProperty("raw")), Close);

        var problem = await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/gan/difference-map?direction=c2d"), HttpStatusCode.UnprocessableEntity, ProblemTypes.DirectionUnknown);
        Assert.Equal("Model 'gan' has no direction 'c2d'; it has a2b (healthy → lesion), b2a (lesion → healthy).", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_map_PNG_is_16_bit_linear_grey_with_zero_at_mid_grey_and_its_scale_in_a_header()
    {
        var response = await PostAsync("/v1/models/gan/difference-map?render=map", accept: "image/png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new PngHeader(Size, Size, 16, 0), PngHeader.Read(png));

        var scale = float.Parse(response.Headers.GetValues("Difference-Map-Scale").Single(), CultureInfo.InvariantCulture);
        var input = DifferenceMapFixture.GradientInput();
        var display = TinyGenerator.Reference(input, 1, Size, DifferenceMapFixture.SeedA2B).Zip(input, (y, x) => -(y - x)).ToArray();
        Assert.Equal(display.Max(Math.Abs), scale, 5);
        var levels = new SkiaPngDecoder().Decode(png, DecodeOptions.Default, ImageLimits.Default).Data;
        Assert.Equal(display.Select(v => 32768f + MathF.Round(32767f * v / scale)), levels);
    }

    [Theory]
    [InlineData("overlay", 8, 2)]
    [InlineData("translated", 8, 0)]
    public async Task The_overlay_and_the_translation_come_as_8_bit_PNGs(string render, int bitDepth, int colourType)
    {
        var response = await PostAsync($"/v1/models/gan/difference-map?render={render}", accept: "image/png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new PngHeader(Size, Size, bitDepth, colourType), PngHeader.Read(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_classifier_gets_409_on_the_difference_map_route_and_a_difference_map_model_409_on_saliency()
    {
        var wrongWay = await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/judge/difference-map"), HttpStatusCode.Conflict, ProblemTypes.ModelTaskMismatch);
        Assert.Equal("Model 'judge' is a classification model; use POST /v1/models/judge/saliency.", wrongWay.GetProperty("detail").GetString());
        Assert.Equal("classification", wrongWay.GetProperty("task").GetString());

        var otherWay = await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/gan/saliency"), HttpStatusCode.Conflict, ProblemTypes.ModelTaskMismatch);
        Assert.Equal("Model 'gan' is a difference-map model; use POST /v1/models/gan/difference-map.", otherWay.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_task_is_checked_before_the_body_is_read()
    {
        using var garbage = TestImages.Content("not an image at all"u8.ToArray(), "image/png");

        await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/judge/difference-map", content: garbage), HttpStatusCode.Conflict, ProblemTypes.ModelTaskMismatch);
    }

    [Fact]
    public async Task An_image_of_another_size_is_422_naming_the_expected_shape()
    {
        using var content = TestImages.PngContent(TestImages.Gradient8(Size * 2, Size));

        var problem = await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/gan/difference-map", content: content), HttpStatusCode.UnprocessableEntity, ModelProblemTypes.InputShapeMismatch);

        Assert.Equal([1, Size, Size], problem.GetProperty("expectedShape").EnumerateArray().Select(d => d.GetInt32()));
    }

    [Fact]
    public async Task A_deleted_linked_classifier_is_answered_without_probabilities_and_says_why()
    {
        var body = await JsonAsync("/v1/models/gan-orphan/difference-map");

        var classifier = body.GetProperty("classifier");
        Assert.False(classifier.GetProperty("used").GetBoolean());
        Assert.Equal("model 'judge-gone' version 1 is no longer registered", classifier.GetProperty("reason").GetString());
        var image = body.GetProperty("images")[0];
        Assert.Equal(JsonValueKind.Null, image.GetProperty("originalProbabilities").ValueKind);
        Assert.Equal(JsonValueKind.Null, image.GetProperty("classFlipped").ValueKind);
    }

    [Fact]
    public async Task A_linked_classifier_that_is_not_ready_makes_the_route_503_as_a_loading_model_does()
    {
        var problem = await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/gan-judged-by-broken/difference-map"), HttpStatusCode.ServiceUnavailable, ModelProblemTypes.ModelNotReady);

        Assert.StartsWith("Model 'judge-broken' version 1 failed to load", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segmentation_model_serves_KServe_inference_and_segment_but_the_other_task_routes_name_segment()
    {
        foreach (var route in new[] { "saliency", "difference-map" })
        {
            var problem = await ProblemAssert.IsProblemAsync(await PostAsync($"/v1/models/segmenter/{route}"), HttpStatusCode.Conflict, ProblemTypes.ModelTaskMismatch);
            Assert.Equal("Model 'segmenter' is a segmentation model; use POST /v1/models/segmenter/segment.", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/v1/models/segmenter/segment")).StatusCode);
        var gan = await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/gan/segment"), HttpStatusCode.Conflict, ProblemTypes.ModelTaskMismatch);
        Assert.Equal("Model 'gan' is a difference-map model; use POST /v1/models/gan/difference-map.", gan.GetProperty("detail").GetString());
        var judge = await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/judge/segment"), HttpStatusCode.Conflict, ProblemTypes.ModelTaskMismatch);
        Assert.Equal("Model 'judge' is a classification model; use POST /v1/models/judge/saliency.", judge.GetProperty("detail").GetString());
        using var tensor = KServeRequests.JsonContent(KServeRequests.Json([1, 1, Size, Size], DifferenceMapFixture.GradientInput(), new { }));
        await ProblemAssert.IsProblemAsync(await fixture.Client.PostAsync("/v2/models/segmenter/explain", tensor), HttpStatusCode.Conflict, ProblemTypes.ModelTaskMismatch);

        using var again = KServeRequests.JsonContent(KServeRequests.Json([1, 1, Size, Size], DifferenceMapFixture.GradientInput(), new { }));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PostAsync("/v2/models/segmenter/infer", again)).StatusCode);
    }

    [Fact]
    public async Task Jobs_open_a_registered_version_s_translators_through_the_shared_cache()
    {
        var source = fixture.Factory.Services.GetRequiredService<DifferenceMapModelSource>();
        var input = DifferenceMapFixture.GradientInput();

        var translators = await source.OpenAsync("gan");

        Assert.Equal(["a2b", "b2a"], translators.Keys);
        Assert.Equal(TinyGenerator.Reference(input, 1, Size, DifferenceMapFixture.SeedB2A), translators["b2a"].Translate(input, 1), Close);
        await Assert.ThrowsAsync<InvalidOperationException>(() => source.OpenAsync("judge"));
    }

    [Fact]
    public async Task Several_images_are_translated_in_one_batch_in_upload_order()
    {
        using var multipart = new MultipartFormDataContent();
        multipart.Add(TestImages.PngContent(TestImages.Gradient8(Size, Size)), "image", "a.png");
        multipart.Add(TestImages.PngContent(Core.Rendering.PngEncoder.Encode(new byte[Size * Size], Size, Size, Core.Rendering.PngPixelFormat.Grey8)), "image", "b.png");

        var body = await JsonAsync("/v1/models/gan/difference-map?raw=true", multipart);

        var images = body.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, images.Count);
        var black = Enumerable.Repeat(-1f, Size * Size).ToArray();
        Assert.Equal(TinyGenerator.Reference(black, 1, Size, DifferenceMapFixture.SeedA2B).Zip(black, (y, x) => y - x),
            DifferenceMapFixture.Floats(images[1].GetProperty("raw")), Close);
    }

    [Fact]
    public async Task A_version_whose_second_graph_is_broken_is_listed_as_failed_naming_the_graph()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement version;
        do
        {
            var body = JsonDocument.Parse(await fixture.Client.GetStringAsync("/v1/models/gan-broken")).RootElement;
            version = body.GetProperty("versions")[0].Clone();
            Assert.True(DateTime.UtcNow < deadline, "gan-broken never finished loading.");
        }
        while (version.GetProperty("state").GetString() == "loading" && await Delay());

        Assert.Equal("failed", version.GetProperty("state").GetString());
        Assert.StartsWith("Graph 'generator-b2a': ONNX Runtime could not load the model (generator-b2a.onnx)", version.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await PostAsync("/v1/models/gan-broken/difference-map"), HttpStatusCode.ServiceUnavailable, ModelProblemTypes.ModelNotReady);
    }

    [Fact]
    public async Task A_model_version_shows_its_task_and_the_routes_that_serve_it()
    {
        var body = JsonDocument.Parse(await fixture.Client.GetStringAsync("/v1/models/gan/versions/1")).RootElement;

        Assert.Equal("difference-map", body.GetProperty("task").GetString());
        Assert.Equal(["POST /v1/models/gan/difference-map", "POST /v2/models/gan/explain", "POST /v2/models/gan/infer", "GET /v2/models/gan"],
            body.GetProperty("routes").EnumerateArray().Select(r => r.GetString()));
        var judge = JsonDocument.Parse(await fixture.Client.GetStringAsync("/v1/models/judge")).RootElement.GetProperty("versions")[0];
        Assert.Equal("classification", judge.GetProperty("task").GetString());
        Assert.Equal("POST /v1/models/judge/saliency", judge.GetProperty("routes")[0].GetString());
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string accept = "application/json", HttpContent? content = null)
    {
        using var image = TestImages.PngContent(TestImages.Gradient8(Size, Size));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content ?? image };
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue(accept));
        return await fixture.Client.SendAsync(request);
    }

    private async Task<JsonElement> JsonAsync(string path, HttpContent? content = null)
    {
        var response = await PostAsync(path, content: content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static readonly Tolerance Close = new(1e-5);
    private static readonly DoubleTolerance Near = new(1e-5);

    private sealed class Tolerance(double epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(float obj) => 0;
    }

    private sealed class DoubleTolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
