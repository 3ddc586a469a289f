using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Explaining;

public sealed class SaliencyEndpointTests(SaliencyFixture fixture) : IClassFixture<SaliencyFixture>
{
    private static ByteArrayContent Png(int size = 8) => TestImages.PngContent(TestImages.Gradient8(size, size));

    [Fact]
    public async Task JSON_carries_predictions_the_target_a_16_bit_map_per_method_its_manifest_and_timings()
    {
        var json = await fixture.JsonAsync("/v1/models/conv/saliency?method=gradcam&raw=true", Png());

        Assert.Equal(("conv", 1), (json.GetProperty("model").GetString(), json.GetProperty("version").GetInt32()));
        var image = Assert.Single(json.GetProperty("images").EnumerateArray());
        var predictions = image.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(SaliencyFixture.Classes.Order(), predictions.Select(p => p.GetProperty("class").GetString()).Order());
        Assert.Equal(1.0, predictions.Sum(p => p.GetProperty("probability").GetDouble()), 6);
        Assert.Equal(predictions[0].GetProperty("index").GetInt32(), image.GetProperty("target").GetProperty("index").GetInt32()); // the predicted class
        var explanation = Assert.Single(image.GetProperty("explanations").EnumerateArray());
        Assert.Equal("gradcam", explanation.GetProperty("method").GetString());
        var png = PngHeader.Read(Convert.FromBase64String(explanation.GetProperty("png").GetString()!));
        Assert.Equal(new PngHeader(8, 8, 16, 0), png);
        var raw = RawFloat32.Decode(Convert.FromBase64String(explanation.GetProperty("raw").GetString()!));
        Assert.Equal(64, raw.Length);
        Assert.All(raw, v => Assert.True(float.IsFinite(v) && v >= 0)); // Grad-CAM is ReLU(Σ α_k A_k)
        var manifest = explanation.GetProperty("manifest");
        Assert.Equal(1, manifest.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(("conv", 1, "gradcam", "features"), (manifest.GetProperty("model").GetString(), manifest.GetProperty("version").GetInt32(),
            manifest.GetProperty("method").GetString(), manifest.GetProperty("targetLayer").GetString()));
        Assert.Equal([1, 8, 8], manifest.GetProperty("inputShape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.True(json.GetProperty("timings").GetProperty("forwardMilliseconds").GetDouble() >= 0);
        Assert.True(explanation.GetProperty("milliseconds").GetDouble() >= 0);
    }

    [Fact]
    public async Task Base64_in_the_JSON_answer_is_written_as_is()
    {
        // Binary fields are byte[] that System.Text.Json writes as base64; a base64 *string* would have every '+' escaped as \u002B.
        var response = await fixture.PostAsync("/v1/models/conv/saliency?method=all&raw=true", Png());
        var body = System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\\u002B", body, StringComparison.Ordinal);
        Assert.Contains('+', body); // 16-bit PNGs and float32 maps of every method: base64 with a '+' somewhere
    }

    [Theory]
    [InlineData(null, 8, 2)] // overlay (default): RGB over the image
    [InlineData("overlay", 8, 2)]
    [InlineData("map", 16, 0)] // the normalised map alone, 16-bit grey
    [InlineData("heatmap", 8, 2)]
    public async Task Accept_image_png_renders_at_the_uploaded_image_size(string? render, int bitDepth, int colourType)
    {
        var query = "/v1/models/conv-resize/saliency?method=gradcam" + (render is null ? "" : $"&render={render}");
        var response = await fixture.PostAsync(query, Png(16), "image/png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new PngHeader(16, 16, bitDepth, colourType), PngHeader.Read(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Method_all_runs_every_method_of_a_model_with_gradients()
    {
        var json = await fixture.JsonAsync("/v1/models/conv/saliency?method=all", Png());

        var methods = json.GetProperty("images")[0].GetProperty("explanations").EnumerateArray().Select(e => e.GetProperty("method").GetString()).ToList();
        Assert.Equal(14, methods.Count);
        Assert.Contains("integratedgradients", methods);
        Assert.Contains("ablationcam", methods);
    }

    [Fact]
    public async Task A_repeated_and_comma_separated_method_gives_each_once_in_order()
    {
        var json = await fixture.JsonAsync("/v1/models/conv/saliency?method=eigencam&method=cam,hirescam&method=eigencam", Png());

        Assert.Equal(["eigencam", "cam", "hirescam"],
            json.GetProperty("images")[0].GetProperty("explanations").EnumerateArray().Select(e => e.GetProperty("method").GetString()));
    }

    [Fact]
    public async Task Several_images_in_multipart_are_explained_in_one_run_in_upload_order()
    {
        using var form = new MultipartFormDataContent();
        for (var size = 8; size <= 24; size += 8)
        {
            form.Add(Png(size), "image", $"image{size}.png");
        }

        var json = await fixture.JsonAsync("/v1/models/conv-resize/saliency?method=gradcam&method=scorecam", form);

        var images = json.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], images.Select(i => i.GetProperty("index").GetInt32()));
        Assert.Equal([8, 16, 24], images.Select(i => i.GetProperty("explanations")[0].GetProperty("pngShape")[0].GetInt32()));
        Assert.Equal([false, true, true], images.Select(i => i.GetProperty("explanations")[0].GetProperty("manifest").GetProperty("resized").GetBoolean()));
    }

    [Fact]
    public async Task Three_images_cost_one_batched_gradient_call_for_the_activation_gradients_and_no_forward()
    {
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 3; i++)
        {
            form.Add(Png(), "image", $"image{i}.png");
        }

        var before = fixture.Cache.OrtValues.Created;
        var json = await fixture.JsonAsync("/v1/models/conv/saliency?method=gradcam,hirescam", form);

        Assert.Equal(3, json.GetProperty("images").GetArrayLength());
        // No forward (the gradient pass gives logits and activations); the ∂y/∂A session: input + target + logits, target_class,
        // activations and grad_activations (no grad_input: Grad-CAM and HiResCAM do not read it).
        Assert.Equal(6, fixture.Cache.OrtValues.Created - before);
    }

    [Theory]
    [InlineData("lesion", 1)]
    [InlineData("OTHER", 2)]
    [InlineData("0", 0)]
    public async Task The_target_is_a_class_name_or_an_index(string target, int index)
    {
        var json = await fixture.JsonAsync($"/v1/models/conv/saliency?method=gradcam&target={target}", Png());

        var image = json.GetProperty("images")[0];
        Assert.Equal(index, image.GetProperty("target").GetProperty("index").GetInt32());
        Assert.Equal(index, image.GetProperty("explanations")[0].GetProperty("manifest").GetProperty("targetClass").GetInt32());
    }

    [Fact]
    public async Task The_seed_makes_RISE_repeatable_and_another_seed_gives_another_map()
    {
        async Task<string> RawAsync(int seed) => (await fixture.JsonAsync($"/v1/models/conv/saliency?method=rise&riseMasks=64&raw=true&seed={seed}", Png()))
            .GetProperty("images")[0].GetProperty("explanations")[0].GetProperty("raw").GetString()!;

        var first = await RawAsync(1);

        Assert.Equal(first, await RawAsync(1));
        Assert.NotEqual(first, await RawAsync(2));
    }

    [Fact]
    public async Task Fast_score_cam_with_one_channel_answers_a_map()
    {
        var json = await fixture.JsonAsync("/v1/models/conv/saliency?method=scorecam&scoreCamMode=fast&scoreCamChannels=1", Png());

        var explanation = Assert.Single(Assert.Single(json.GetProperty("images").EnumerateArray()).GetProperty("explanations").EnumerateArray());
        Assert.Equal("scorecam", explanation.GetProperty("method").GetString());
    }

    [Fact]
    public async Task The_version_parameter_selects_a_version()
    {
        var json = await fixture.JsonAsync("/v1/models/conv/saliency?method=cam&version=1", Png());

        Assert.Equal(1, json.GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("/v1/models/nope/saliency", HttpStatusCode.NotFound, "model-not-found")]
    [InlineData("/v1/models/conv/saliency?version=7", HttpStatusCode.NotFound, "version-unknown")]
    [InlineData("/v1/models/conv/saliency?method=magiccam", HttpStatusCode.BadRequest, "method-unknown")]
    [InlineData("/v1/models/conv/saliency?target=tumour", HttpStatusCode.BadRequest, "class-unknown")]
    [InlineData("/v1/models/conv/saliency?target=3", HttpStatusCode.BadRequest, "class-unknown")]
    [InlineData("/v1/models/conv/saliency?render=sketch", HttpStatusCode.BadRequest, "invalid-request")]
    [InlineData("/v1/models/conv/saliency?colormap=jet", HttpStatusCode.BadRequest, "invalid-request")]
    [InlineData("/v1/models/conv/saliency?method=rise&riseMasks=0", HttpStatusCode.BadRequest, "invalid-request")]
    [InlineData("/v1/models/conv/saliency?method=scorecam&scoreCamMode=quick", HttpStatusCode.BadRequest, "invalid-request")]
    [InlineData("/v1/models/conv/saliency?method=scorecam&scoreCamMode=fast&scoreCamChannels=0", HttpStatusCode.BadRequest, "invalid-request")]
    [InlineData("/v1/models/conv/saliency?method=scorecam&scoreCamChannels=100000", HttpStatusCode.BadRequest, "invalid-request")]
    [InlineData("/v1/models/conv-nan/saliency?method=gradcam", HttpStatusCode.UnprocessableEntity, "model-output-non-finite")]
    [InlineData("/v1/models/conv-nan/saliency?method=rise", HttpStatusCode.UnprocessableEntity, "model-output-non-finite")]
    public async Task Bad_requests_are_problems_with_their_type(string query, HttpStatusCode status, string type)
    {
        var response = await fixture.PostAsync(query, Png());

        await ProblemAssert.IsProblemAsync(response, status, "urn:explainapi:problem:" + type);
    }

    [Fact]
    public async Task An_image_of_another_size_is_422_naming_the_expected_shape_when_resizing_is_not_allowed()
    {
        var response = await fixture.PostAsync("/v1/models/conv/saliency", Png(16));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:input-shape-mismatch");
        Assert.Contains("1×8×8", problem.GetProperty("detail").GetString());
        Assert.Equal([1, 8, 8], problem.GetProperty("expectedShape").EnumerateArray().Select(d => d.GetInt32()));
    }

    [Fact]
    public async Task A_colour_image_for_a_grey_model_is_422_input_shape_mismatch()
    {
        var rgb = PngEncoder.Encode(new byte[8 * 8 * 3], 8, 8, PngPixelFormat.Rgb8);

        var response = await fixture.PostAsync("/v1/models/conv-resize/saliency", TestImages.PngContent(rgb));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:input-shape-mismatch");
        Assert.Contains("3 channel(s)", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_Accept_the_route_cannot_answer_is_406_and_PNG_for_two_methods_is_400()
    {
        await ProblemAssert.IsProblemAsync(await fixture.PostAsync("/v1/models/conv/saliency", Png(), "text/csv"),
            HttpStatusCode.NotAcceptable, "urn:explainapi:problem:not-acceptable");
        await ProblemAssert.IsProblemAsync(await fixture.PostAsync("/v1/models/conv/saliency?method=cam,gradcam", Png(), "image/png"),
            HttpStatusCode.BadRequest, "urn:explainapi:problem:invalid-request");
    }

    [Fact]
    public async Task The_route_needs_the_infer_scope()
    {
        var trainOnly = fixture.Factory.CreateClient(ExplainApiFactory.TrainKey);

        var response = await fixture.PostAsync("/v1/models/conv/saliency", Png(), client: trainOnly);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task No_OrtValue_stays_alive_after_requests_that_succeed_and_fail()
    {
        await fixture.JsonAsync("/v1/models/conv/saliency?method=gradcam,scorecam,smoothgrad,ablationcam", Png());
        await fixture.PostAsync("/v1/models/conv-nan/saliency?method=gradcam", Png());
        await fixture.PostAsync("/v1/models/conv/saliency?method=nope", Png());
        using var form = new MultipartFormDataContent { { Png(), "image", "a.png" }, { Png(), "image", "b.png" } };
        await fixture.JsonAsync("/v1/models/conv/saliency?method=gradcam", form);

        Assert.True(fixture.Cache.OrtValues.Created > 0);
        Assert.Equal(0, fixture.Cache.OrtValues.Live);
    }
}
