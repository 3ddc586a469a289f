using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Models;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Imaging.Skia;

namespace ExplainApi.Host.Tests.Segmentation;

public sealed class SegmentEndpointTests(SegmentFixture fixture) : IClassFixture<SegmentFixture>
{
    private const int Size = SegmentFixture.Size;

    [Fact]
    public async Task The_JSON_answer_has_the_label_map_each_class_s_mask_area_and_box_and_the_manifest()
    {
        var body = await JsonAsync(TestImages.PngContent(SegmentFixture.Stripes(Size, dark: 5, bright: 11)));

        Assert.Equal(["background", "bright", "dark"], body.GetProperty("classNames").EnumerateArray().Select(c => c.GetString()));
        var image = Assert.Single(body.GetProperty("images").EnumerateArray());
        Assert.Equal([Size, Size], image.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.False(image.GetProperty("resized").GetBoolean());
        var labels = Levels(image.GetProperty("labels"));
        Assert.Equal(Enumerable.Range(0, Size * Size).Select(p => p % Size < 5 ? 2f : p % Size >= 11 ? 1f : 0f), labels);

        var classes = image.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal(["bright", "dark"], classes.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal((1, 5L * Size, 11, 0, 5, Size), Region(classes[0]));
        Assert.Equal((2, 5L * Size, 0, 0, 5, Size), Region(classes[1]));
        Assert.Equal(labels.Select(l => l == 2f ? 255f : 0f), Levels(classes[1].GetProperty("mask")));
        Assert.Equal(new PngHeader(Size, Size, 8, 2), PngHeader.Read(Convert.FromBase64String(image.GetProperty("overlay").GetString()!)));

        var manifest = body.GetProperty("manifest");
        Assert.Equal("segmentation", manifest.GetProperty("task").GetString());
        Assert.Equal("segmenter", manifest.GetProperty("segmentation").GetProperty("graph").GetString());
        Assert.Equal(0, fixture.Cache.OrtValues.Live);
    }

    [Fact]
    public async Task An_image_of_another_size_is_segmented_at_the_model_s_size_and_answered_at_its_own()
    {
        var body = await JsonAsync(TestImages.PngContent(SegmentFixture.Stripes(2 * Size, dark: 10, bright: 22)));

        var image = Assert.Single(body.GetProperty("images").EnumerateArray());
        Assert.True(image.GetProperty("resized").GetBoolean());
        Assert.Equal([2 * Size, 2 * Size], image.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var classes = image.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal((1, 10L * 2 * Size, 22, 0, 10, 2 * Size), Region(classes[0]));
        Assert.Equal((2, 10L * 2 * Size, 0, 0, 10, 2 * Size), Region(classes[1]));
    }

    [Fact]
    public async Task Several_images_are_segmented_in_one_batch_in_upload_order()
    {
        using var multipart = new MultipartFormDataContent();
        multipart.Add(TestImages.PngContent(SegmentFixture.Stripes(Size, dark: 5, bright: 11)), "image", "a.png");
        multipart.Add(TestImages.PngContent(SegmentFixture.Stripes(Size, dark: 6, bright: 6)), "image", "b.png"); // black and white halves

        var body = await JsonAsync(multipart);

        var images = body.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, images.Count);
        var second = images[1].GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal((1, 5L * Size, 11, 0, 5, Size), Region(images[0].GetProperty("classes")[0]));
        Assert.Equal((1, 10L * Size, 6, 0, 10, Size), Region(second[0]));
        Assert.Equal((2, 6L * Size, 0, 0, 6, Size), Region(second[1]));
    }

    [Fact]
    public async Task Accept_image_png_answers_the_overlay_at_the_image_s_size()
    {
        var response = await PostAsync(TestImages.PngContent(SegmentFixture.Stripes(2 * Size, dark: 10, bright: 22)), "image/png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new PngHeader(2 * Size, 2 * Size, 8, 2), PngHeader.Read(png));
        var rgb = new SkiaPngDecoder().Decode(png, DecodeOptions.Default, ImageLimits.Default);
        var (r, g, b) = LabelMapRenderer.Palette[1]; // class 2 (dark) over black at opacity ½
        Assert.Equal([MathF.Round(r / 2f), MathF.Round(g / 2f), MathF.Round(b / 2f)], [rgb.Data[0], rgb.Data[rgb.PixelCount], rgb.Data[2 * rgb.PixelCount]]);
    }

    [Fact]
    public async Task A_colour_image_for_a_grey_model_is_an_input_shape_mismatch()
    {
        var colour = PngEncoder.Encode(new byte[Size * Size * 3], Size, Size, PngPixelFormat.Rgb8);

        await ProblemAssert.IsProblemAsync(await PostAsync(TestImages.PngContent(colour)), HttpStatusCode.UnprocessableEntity, ModelProblemTypes.InputShapeMismatch);
    }

    [Fact]
    public async Task Unknown_models_are_404_and_the_route_needs_the_infer_scope()
    {
        await ProblemAssert.IsProblemAsync(await PostAsync(TestImages.PngContent(SegmentFixture.Stripes(Size, 5, 11)), path: "/v1/models/nobody/segment"), HttpStatusCode.NotFound);
        using var anonymous = fixture.Factory.CreateClient();
        using var content = TestImages.PngContent(SegmentFixture.Stripes(Size, 5, 11));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/models/segmenter/segment", content)).StatusCode);
    }

    private static (int Index, long Area, int X, int Y, int Width, int Height) Region(JsonElement c)
    {
        var box = c.GetProperty("boundingBox");
        return (c.GetProperty("index").GetInt32(), c.GetProperty("area").GetInt64(),
            box.GetProperty("x").GetInt32(), box.GetProperty("y").GetInt32(), box.GetProperty("width").GetInt32(), box.GetProperty("height").GetInt32());
    }

    private static float[] Levels(JsonElement base64Png) =>
        new SkiaPngDecoder().Decode(Convert.FromBase64String(base64Png.GetString()!), DecodeOptions.Default, ImageLimits.Default).Data;

    private async Task<HttpResponseMessage> PostAsync(HttpContent content, string accept = "application/json", string path = "/v1/models/segmenter/segment")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await fixture.Client.SendAsync(request);
    }

    private async Task<JsonElement> JsonAsync(HttpContent content)
    {
        var response = await PostAsync(content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
