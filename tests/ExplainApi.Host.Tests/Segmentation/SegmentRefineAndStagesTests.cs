using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ExplainApi.Core.Imaging;
using ExplainApi.Core.Rendering;
using ExplainApi.Core.Saliency.Explaining;
using ExplainApi.Core.Segmentation;
using ExplainApi.Host.Imaging;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Imaging.Skia;
using ExplainApi.Onnx.Serving.Adapters;
using ExplainApi.Onnx.Tests.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>/segment?refine=crf and ?stages=: the CRF on the network's probabilities, the linked classifier's seed and CRF masks, and their refusals.</summary>
public sealed class SegmentRefineAndStagesTests(SegmentStagesFixture fixture) : IClassFixture<SegmentStagesFixture>
{
    private const int Size = SegmentStagesFixture.Size;

    private const string Invalid = "urn:explainapi:problem:invalid-request", Unavailable = "urn:explainapi:problem:segmentation-stages-unavailable";

    private static readonly NoisySquare Scene = new(seed: 7);

    [Fact]
    public async Task Refine_crf_is_the_dense_CRF_of_the_network_s_own_probabilities_and_cleans_its_noisy_labels()
    {
        var plain = await JsonAsync("/v1/models/gt-segmenter/segment");
        var refined = await JsonAsync("/v1/models/gt-segmenter/segment?refine=crf");

        var input = fixture.Input("gt-segmenter", Scene.ImagePng);
        Assert.True(fixture.Cache.TryGet("gt-segmenter", 1, out var model));
        var probabilities = ((SegmentationAdapter)model.Adapter!).Segment(input, 1);
        var expected = DenseCrf.Infer(PseudoMasks.Guide(input, 1, Size, Size), probabilities, 3, DenseCrfParameters.Default).LabelMap;
        var labels = Levels(refined.GetProperty("images")[0].GetProperty("labels"));
        Assert.Equal(expected, labels);
        Assert.Equal("crf", refined.GetProperty("refine").GetString());
        Assert.Equal("none", plain.GetProperty("refine").GetString());

        // Truth: the bright square is class 1, the dark rest class 2; the tiny segmenter calls noisy pixels background.
        int Errors(int[] l) => l.Where((k, i) => k != (Scene.Truth[i] == 1 ? 1 : 2)).Count();
        var (before, after) = (Errors(Levels(plain.GetProperty("images")[0].GetProperty("labels"))), Errors(labels));
        Assert.True(before > 20 && after < before / 4, $"wrong pixels {before} → {after}");
    }

    [Fact]
    public async Task Stages_seed_and_crf_are_the_linked_classifier_s_pseudo_masks_in_the_segmenter_s_class_order()
    {
        var body = await JsonAsync("/v1/models/crf-segmenter/segment?stages=crf,seed&labelThreshold=0&iterations=5");

        var image = body.GetProperty("images")[0];
        Assert.Equal(["dark", "bright"], image.GetProperty("imageLabels").EnumerateArray().Select(l => l.GetString()));
        var input = fixture.Input("stage-classifier", Scene.ImagePng);
        var parameters = DenseCrfParameters.Default with { Iterations = 5 };
        var provider = fixture.Factory.Services.GetRequiredService<IExplainableModelProvider>();
        var (seed, crf) = await provider.UseAsync("stage-classifier", 1, m =>
        {
            var s = PseudoMasks.Seeds(m, [input], [[0, 1]], CamSeeds.DefaultAlpha, CancellationToken.None)[0];
            return (s, PseudoMasks.Refine(PseudoMasks.Guide(input, 1, Size, Size), s, [0, 1], parameters));
        }, CancellationToken.None);

        int[] ToSegmenter(byte[] mask) => [.. mask.Select(k => k switch { 1 => 2, 2 => 1, _ => 0 })]; // classifier dark, bright → segmenter 2, 1
        var stages = image.GetProperty("stages");
        Assert.Equal(["seed", "crf"], stages.EnumerateObject().Select(p => p.Name));
        foreach (var (name, mask) in new[] { ("seed", seed), ("crf", crf) })
        {
            var png = Convert.FromBase64String(stages.GetProperty(name).GetProperty("labels").GetString()!);
            Assert.Equal(new PngHeader(Size, Size, 8, 0), PngHeader.Read(png));
            Assert.Equal(ToSegmenter(mask), Levels(stages.GetProperty(name).GetProperty("labels")));
            var regions = stages.GetProperty(name).GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("area").GetInt64());
            Assert.Equal(mask.Count(k => k == 2), regions["bright"]);
            Assert.Equal(mask.Count(k => k == 1), regions["dark"]);
        }

        Assert.Contains(seed, k => k != 0); // a seed with foreground: the comparison is not of two empty masks
        Assert.Equal(JsonValueKind.Null, (await JsonAsync("/v1/models/crf-segmenter/segment")).GetProperty("images")[0].GetProperty("stages").ValueKind);
    }

    [Fact]
    public async Task Stages_recompute_the_pseudo_masks_with_the_alpha_and_crf_training_recorded_and_a_query_overrides_the_crf()
    {
        var tuned = SegmentStagesFixture.Tuned;
        var input = fixture.Input("stage-classifier", Scene.ImagePng);
        var provider = fixture.Factory.Services.GetRequiredService<IExplainableModelProvider>();
        var (seed, defaultSeed) = await provider.UseAsync("stage-classifier", 1, m => (
            PseudoMasks.Seeds(m, [input], [[0, 1]], tuned.Alpha, CancellationToken.None)[0],
            PseudoMasks.Seeds(m, [input], [[0, 1]], CamSeeds.DefaultAlpha, CancellationToken.None)[0]), CancellationToken.None);
        Assert.NotEqual(defaultSeed, seed); // α matters on this image: the comparison below can tell which one was used
        int[] Expected(byte[] mask) => [.. mask.Select(k => k switch { 1 => 2, 2 => 1, _ => 0 })];
        int[] Crf(DenseCrfParameters parameters) => Expected(PseudoMasks.Refine(PseudoMasks.Guide(input, 1, Size, Size), seed, [0, 1], parameters));

        var stages = (await JsonAsync("/v1/models/tuned-segmenter/segment?stages=seed,crf&labelThreshold=0")).GetProperty("images")[0].GetProperty("stages");
        Assert.Equal(Expected(seed), Levels(stages.GetProperty("seed").GetProperty("labels")));
        Assert.Equal(Crf(tuned.Crf), Levels(stages.GetProperty("crf").GetProperty("labels")));

        var overridden = (await JsonAsync("/v1/models/tuned-segmenter/segment?stages=crf&labelThreshold=0&appearanceWeight=0&iterations=3"))
            .GetProperty("images")[0].GetProperty("stages");
        Assert.Equal(Crf(tuned.Crf with { AppearanceWeight = 0, Iterations = 3 }), Levels(overridden.GetProperty("crf").GetProperty("labels")));
    }

    [Fact]
    public async Task Stage_ssdd_integrates_the_served_seed_and_crf_by_the_version_s_own_detector_graph_and_biases()
    {
        var body = await JsonAsync("/v1/models/ssdd-segmenter/segment?stages=ssdd,crf,seed&labelThreshold=0&iterations=5");

        var stages = body.GetProperty("images")[0].GetProperty("stages");
        Assert.Equal(["seed", "crf", "ssdd"], stages.EnumerateObject().Select(p => p.Name));
        var (seed, crf, ssdd) = (Bytes(stages.GetProperty("seed")), Bytes(stages.GetProperty("crf")), Bytes(stages.GetProperty("ssdd")));
        Assert.Contains(Enumerable.Range(0, seed.Length), p => seed[p] != crf[p]); // else the detector decides nothing

        // The fixture's detector graph in ONNX Runtime on the segmenter's own input, then eq. 4–6 with the fixture's biases.
        var (dK, dA) = DetectorRun.Logits(fixture.DetectorOnnx, fixture.Input("ssdd-segmenter", Scene.ImagePng), seed, crf, TinySegmenter.ClassNames.Count, Size);
        int[] present = [1, 2]; // labelThreshold=0: both classes, bright and dark in the segmenter's order
        var erased = SsddIntegration.ErasedClasses(seed, crf, present, SegmentStagesFixture.Biases.ErasedRatio);
        Assert.Equal(SsddIntegration.Integrate(seed, crf, dK, dA, erased, SegmentStagesFixture.Biases), ssdd);
    }

    [Fact]
    public async Task Stage_masks_of_an_image_of_another_size_are_answered_at_its_size()
    {
        // The scene doubled in both directions (each pixel 2 × 2).
        var big = PngEncoder.Encode([.. Enumerable.Range(0, 4 * Size * Size).Select(i => Scene.Grey[(i / (2 * Size) / 2 * Size) + (i % (2 * Size) / 2)])], 2 * Size, 2 * Size, PngPixelFormat.Grey8);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/crf-segmenter/segment?stages=seed&labelThreshold=0") { Content = TestImages.PngContent(big) };
        var response = await fixture.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);

        var image = JsonDocument.Parse(text).RootElement.GetProperty("images")[0];
        Assert.True(image.GetProperty("resized").GetBoolean());
        var seed = image.GetProperty("stages").GetProperty("seed");
        Assert.Equal(new PngHeader(2 * Size, 2 * Size, 8, 0), PngHeader.Read(Convert.FromBase64String(seed.GetProperty("labels").GetString()!)));
        Assert.Equal(Levels(seed.GetProperty("labels")).Count(k => k != 0), seed.GetProperty("classes").EnumerateArray().Sum(c => c.GetProperty("area").GetInt64()));
    }

    public static TheoryData<string, string, HttpStatusCode, string, string> Refusals => new()
    {
        { "/v1/models/gt-segmenter/segment?refine=crf&smoothnessSigma=0", "application/json", HttpStatusCode.BadRequest, Invalid, "(query parameter smoothnessSigma)" },
        { "/v1/models/gt-segmenter/segment?refine=crf&iterations=51", "application/json", HttpStatusCode.BadRequest, Invalid, "(query parameter iterations)" },
        { "/v1/models/gt-segmenter/segment?refine=bilateral", "application/json", HttpStatusCode.BadRequest, Invalid, "refine must be none or crf" },
        { "/v1/models/crf-segmenter/segment?stages=seed,ssdd", "application/json", HttpStatusCode.Conflict, Unavailable, "has no SSDD difference-detector graph: only versions trained with masks \"ssdd\" and ssddVariant \"static\" export one (this one was trained on crf masks). Stages it serves: seed, crf." },
        { "/v1/models/crf-segmenter/segment?stages=cam", "application/json", HttpStatusCode.BadRequest, Invalid, "unknown stage 'cam'; allowed: seed, crf, ssdd" },
        { "/v1/models/gt-segmenter/segment?stages=ssdd", "application/json", HttpStatusCode.Conflict, Unavailable, "trained on ground-truth masks" },
        { "/v1/models/crf-segmenter/segment?stages=seed&labelThreshold=1.5", "application/json", HttpStatusCode.BadRequest, Invalid, "labelThreshold" },
        { "/v1/models/crf-segmenter/segment?stages=seed", "image/png", HttpStatusCode.BadRequest, Invalid, "stages are answered in JSON only" },
        { "/v1/models/gt-segmenter/segment?stages=seed", "application/json", HttpStatusCode.Conflict, Unavailable, "trained on ground-truth masks" },
        { "/v1/models/orphan-segmenter/segment?stages=crf", "application/json", HttpStatusCode.Conflict, Unavailable, "'gone-classifier' version 1 is no longer registered" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_options_are_400_and_stages_without_a_usable_classifier_are_409(string path, string accept, HttpStatusCode status, string type, string detail)
    {
        var problem = await ProblemAssert.IsProblemAsync(await PostAsync(path, accept), status, type);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static byte[] Bytes(JsonElement stage) => [.. Levels(stage.GetProperty("labels")).Select(v => (byte)v)];

    private static int[] Levels(JsonElement base64Png) =>
        [.. new SkiaPngDecoder().Decode(Convert.FromBase64String(base64Png.GetString()!), DecodeOptions.Default, ImageLimits.Default).Data.Select(v => (int)v)];

    private async Task<HttpResponseMessage> PostAsync(string path, string accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = TestImages.PngContent(Scene.ImagePng) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await fixture.Client.SendAsync(request);
    }

    private async Task<JsonElement> JsonAsync(string path)
    {
        var response = await PostAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
