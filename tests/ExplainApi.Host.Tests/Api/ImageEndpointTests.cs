using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Api;

public sealed class ImageEndpointTests(ExplainApiFactory factory) : IClassFixture<ExplainApiFactory>
{
    private const string Colin = "/usr/share/mricron/templates/ch2.nii.gz";

    private HttpClient Client => factory.CreateClient(ExplainApiFactory.InferKey);

    private static MultipartFormDataContent Multipart(byte[] bytes, string fileName, string mediaType)
    {
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new MultipartFormDataContent { { part, "image", fileName } };
    }

    [Fact]
    public async Task Inspecting_a_png_reports_its_geometry_window_and_statistics()
    {
        var response = await Client.PostAsync("/v1/images/inspect", TestImages.PngContent(TestImages.Gradient8(20, 10)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("png", body.GetProperty("format").GetString());
        Assert.Equal(20, body.GetProperty("width").GetInt32());
        Assert.Equal(10, body.GetProperty("height").GetInt32());
        Assert.Equal(1, body.GetProperty("channels").GetInt32());
        Assert.Equal(255, body.GetProperty("window").GetProperty("high").GetDouble());
        var stats = body.GetProperty("statistics")[0];
        Assert.Equal(0, stats.GetProperty("min").GetDouble());
        Assert.Equal((19 * 7) + (9 * 3), stats.GetProperty("max").GetDouble());
    }

    [Fact]
    public async Task The_colin27_mri_uploaded_as_multipart_gives_the_requested_slice()
    {
        var bytes = await File.ReadAllBytesAsync(Colin);
        var response = await Client.PostAsync("/v1/images/inspect?slice=100", Multipart(bytes, "ch2.nii.gz", "application/gzip"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("nifti", body.GetProperty("format").GetString());
        Assert.Equal(181, body.GetProperty("width").GetInt32());
        Assert.Equal(217, body.GetProperty("height").GetInt32());
        Assert.Equal(100, body.GetProperty("slice").GetInt32());
        Assert.Equal(181, body.GetProperty("sliceCount").GetInt32());
        Assert.True(body.GetProperty("statistics")[0].GetProperty("max").GetDouble() > 50, "the slice should contain brain signal");
    }

    [Fact]
    public async Task A_slice_beyond_the_volume_is_422()
    {
        var bytes = await File.ReadAllBytesAsync(Colin);
        var response = await Client.PostAsync("/v1/images/inspect?slice=500", TestImages.Content(bytes, "application/octet-stream"));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, Errors.ProblemTypes.ImageNoPixels);
        Assert.Contains("500", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_view_returns_little_endian_float32_with_its_shape()
    {
        var response = await Client.PostAsync("/v1/images/render?view=raw", TestImages.PngContent(TestImages.Gradient8(5, 3)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1,3,5", response.Headers.GetValues("X-Image-Shape").Single());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(15 * 4, bytes.Length);
        // Pixel (x=4, y=2) is 4*7 + 2*3 = 34.
        Assert.Equal(34f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(((2 * 5) + 4) * 4)));
    }

    [Theory]
    [InlineData("image", 0)]
    [InlineData("heatmap", 2)]
    public async Task Png_views_are_pngs_at_the_input_size(string view, int colourType)
    {
        var response = await Client.PostAsync($"/v1/images/render?view={view}&colormap=viridis", TestImages.PngContent(TestImages.Gradient8(12, 7)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(12, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(colourType, png[25]); // IHDR colour type: 0 grey, 2 RGB
    }

    [Fact]
    public async Task An_unknown_colour_map_is_400_listing_the_known_ones()
    {
        var response = await Client.PostAsync("/v1/images/render?view=heatmap&colormap=jet", TestImages.PngContent(TestImages.Gradient8(4, 4)));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("inferno", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_view_is_400()
    {
        var response = await Client.PostAsync("/v1/images/render?view=hologram", TestImages.PngContent(TestImages.Gradient8(4, 4)));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Two_files_in_one_multipart_body_are_400()
    {
        var png = TestImages.Gradient8(4, 4);
        using var content = Multipart(png, "a.png", "image/png");
        content.Add(new ByteArrayContent(png), "image", "b.png");
        var response = await Client.PostAsync("/v1/images/inspect", content);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("exactly one file", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Platform_reports_the_cpu_execution_provider_and_every_format()
    {
        var body = await Client.GetFromJsonAsync<JsonElement>("/v1/platform");
        Assert.Equal("CPUExecutionProvider", body.GetProperty("onnxRuntime").GetProperty("defaultProvider").GetProperty("provider").GetString());
        Assert.Equal(["dicom", "jpeg", "nifti", "png"], body.GetProperty("imageFormats").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("cpu", body.GetProperty("torch").GetProperty("device").GetString());
    }
}
