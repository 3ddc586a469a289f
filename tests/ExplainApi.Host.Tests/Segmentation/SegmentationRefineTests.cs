using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Imaging.Skia;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>A factory whose refinement work limit (200 000) refuses 48² × 2 labels × 50 iterations and admits the default 10.</summary>
public sealed class SegmentationFactory : ExplainApiFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["ExplainApi:Segmentation:MaxWorkPerRequest"] = "200000",
    };
}

public sealed class SegmentationRefineTests(SegmentationFactory factory) : IClassFixture<SegmentationFactory>
{
    private const string Route = "/v1/segmentations/refine";

    private static readonly NoisySquare Scene = new();

    private HttpClient Client => factory.CreateClient(ExplainApiFactory.InferKey);

    internal static MultipartFormDataContent Body(byte[]? image, byte[]? mask = null, byte[]? probabilities = null)
    {
        var body = new MultipartFormDataContent();
        void Add(byte[]? bytes, string field, string type)
        {
            if (bytes is not null)
            {
                var part = new ByteArrayContent(bytes);
                part.Headers.ContentType = new MediaTypeHeaderValue(type);
                body.Add(part, field, field + (type == "image/png" ? ".png" : ".f32"));
            }
        }

        Add(image, "image", "image/png");
        Add(mask, "mask", "image/png");
        Add(probabilities, "probabilities", "application/octet-stream");
        return body;
    }

    private static int[] Labels(byte[] png) =>
        [.. new SkiaPngDecoder().Decode(png, DecodeOptions.Default, ImageLimits.Default).Data.Select(v => (int)v)];

    [Fact]
    public async Task A_noisy_mask_of_a_bright_square_comes_back_cleaner_with_its_class_areas_and_boxes()
    {
        var response = await Client.PostAsync(Route, Body(Scene.ImagePng, mask: Scene.MaskPng));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(NoisySquare.Size, body.GetProperty("width").GetInt32());
        Assert.Equal(2, body.GetProperty("labels").GetInt32()); // inferred: largest index + 1
        Assert.Equal("mask", body.GetProperty("input").GetString());
        Assert.Equal(0.7, body.GetProperty("confidence").GetDouble(), 1e-6);
        Assert.Equal(10, body.GetProperty("parameters").GetProperty("iterations").GetInt32());
        Assert.Equal(13, body.GetProperty("parameters").GetProperty("appearanceIntensitySigma").GetDouble());
        var refined = Labels(Convert.FromBase64String(body.GetProperty("mask").GetString()!));
        var (before, after) = (Scene.IoU(Scene.NoisyLabels), Scene.IoU(refined));
        Assert.True(after > 0.95 && after > before + 0.2, $"IoU {before:0.###} → {after:0.###}");

        var square = body.GetProperty("classes")[1];
        Assert.Equal(refined.Count(l => l == 1), square.GetProperty("area").GetInt64());
        Assert.Equal(NoisySquare.Size * NoisySquare.Size, body.GetProperty("classes")[0].GetProperty("area").GetInt64() + square.GetProperty("area").GetInt64());
        Assert.InRange(square.GetProperty("box").GetProperty("x").GetInt32(), NoisySquare.Low - 1, NoisySquare.Low + 1);
        Assert.InRange(square.GetProperty("box").GetProperty("width").GetInt32(), NoisySquare.High - NoisySquare.Low - 2, NoisySquare.High - NoisySquare.Low + 2);
        Assert.Equal(refined.Where((l, i) => l != Scene.NoisyLabels[i]).Count(), body.GetProperty("changedPixels").GetInt64());
        Assert.True(body.GetProperty("timings").GetProperty("totalMilliseconds").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("raw").ValueKind);
    }

    [Fact]
    public async Task Noisy_probabilities_are_refined_too_and_raw_returns_marginals_that_sum_to_one()
    {
        var response = await Client.PostAsync($"{Route}?labels=2&raw=true", Body(Scene.ImagePng, probabilities: Scene.Probabilities()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("probabilities", body.GetProperty("input").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("confidence").ValueKind);
        var after = Scene.IoU(Labels(Convert.FromBase64String(body.GetProperty("mask").GetString()!)));
        Assert.True(after > 0.95, $"IoU {Scene.IoU(Scene.NoisyLabels):0.###} → {after:0.###}");

        Assert.Equal([2, NoisySquare.Size, NoisySquare.Size], body.GetProperty("rawShape").EnumerateArray().Select(d => d.GetInt32()));
        var q = RawFloat32.Decode(Convert.FromBase64String(body.GetProperty("raw").GetString()!));
        var n = NoisySquare.Size * NoisySquare.Size;
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(1, q[i] + q[n + i], 1e-4));
    }

    [Fact]
    public async Task Accept_image_png_answers_the_mask_png_alone_the_same_as_in_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = Body(Scene.ImagePng, mask: Scene.MaskPng) };
        request.Headers.Accept.ParseAdd("image/png");
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();

        var json = await (await Client.PostAsync(Route, Body(Scene.ImagePng, mask: Scene.MaskPng))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Labels(Convert.FromBase64String(json.GetProperty("mask").GetString()!)), Labels(png));
    }

    [Fact]
    public async Task Unknown_pixels_255_take_their_class_from_the_neighbourhood_and_zero_iterations_keep_the_mask()
    {
        var labels = Scene.Truth.Select((l, i) => i % 5 == 0 ? 255 : l).ToArray();
        var mask = NoisySquare.LabelPng(labels, NoisySquare.Size, NoisySquare.Size);
        var refined = await Client.PostAsync($"{Route}?labels=2", Body(Scene.ImagePng, mask: mask));
        var body = await refined.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(Scene.IoU(Labels(Convert.FromBase64String(body.GetProperty("mask").GetString()!))) > 0.97);

        var kept = await (await Client.PostAsync($"{Route}?iterations=0", Body(Scene.ImagePng, mask: Scene.MaskPng))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Scene.NoisyLabels, Labels(Convert.FromBase64String(kept.GetProperty("mask").GetString()!)));
        Assert.Equal(0, kept.GetProperty("changedPixels").GetInt64());
    }

    [Fact]
    public async Task A_key_without_the_infer_scope_is_403()
    {
        var response = await factory.CreateClient(ExplainApiFactory.TrainKey).PostAsync(Route, Body(Scene.ImagePng, mask: Scene.MaskPng));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, Errors.ProblemTypes.Forbidden);
    }

    [Fact]
    public async Task After_every_refusal_no_decoded_pixels_stay_reserved()
    {
        await Client.PostAsync(Route, Body(Scene.ImagePng, mask: NoisySquare.LabelPng(new int[40 * 40], 40, 40)));
        await Client.PostAsync(Route, Body(Scene.ImagePng, mask: Scene.MaskPng));
        var admission = factory.Services.GetRequiredService<DecodeAdmission>();
        await Eventually.UntilAsync(() => admission.InUse == 0, $"{admission.InUse} decoded pixels still reserved");
    }
}
