using System.Net;
using ExplainApi.Core.Rendering;
using ExplainApi.Host.Tests.Infrastructure;

namespace ExplainApi.Host.Tests.Segmentation;

/// <summary>Every bad input is a 4xx problem document whose detail says what to fix; none reaches the CRF or a 500.</summary>
public sealed class SegmentationRefineProblemTests(SegmentationFactory factory) : IClassFixture<SegmentationFactory>
{
    private const string Invalid = "urn:explainapi:problem:invalid-request", Unfit = "urn:explainapi:problem:segmentation-input-invalid";

    private static readonly NoisySquare Scene = new();

    private static readonly int Pixels = NoisySquare.Size * NoisySquare.Size;

    public static TheoryData<string, string, HttpStatusCode, string, string> Cases => new()
    {
        { "mask of another size", "", HttpStatusCode.UnprocessableEntity, Unfit, "The mask is 40×40 but the image is 48×48" },
        { "rgb mask", "", HttpStatusCode.UnprocessableEntity, Unfit, "8- or 16-bit grey PNG" },
        { "jpeg-like mask", "", HttpStatusCode.UnprocessableEntity, Unfit, "The mask must be a PNG" },
        { "mask class over labels", "?labels=2", HttpStatusCode.UnprocessableEntity, Unfit, "holds class 2, but labels=2 allows 0..1" },
        { "probabilities of 2 maps", "?labels=3", HttpStatusCode.UnprocessableEntity, Unfit, "hold 2 maps of 48×48 but labels=3" },
        { "probabilities cut short", "?labels=2", HttpStatusCode.UnprocessableEntity, Unfit, "not whole 48×48 float32 maps" },
        { "probabilities with NaN", "?labels=2", HttpStatusCode.UnprocessableEntity, Unfit, "NaN (pixel 100)" },
        { "probabilities not summing to one", "?labels=2", HttpStatusCode.UnprocessableEntity, Unfit, "pixel 7 sum to 0.8, not 1" },
        { "probabilities without labels", "", HttpStatusCode.BadRequest, Invalid, "labels (the class count C of the probabilities) is required" },
        { "probabilities with confidence", "?labels=2&confidence=0.8", HttpStatusCode.BadRequest, Invalid, "confidence turns a mask" },
        { "sigma zero", "?smoothnessSigma=0", HttpStatusCode.BadRequest, Invalid, "θγ must be a finite number ≥ 0.001. (query parameter smoothnessSigma)" },
        { "intensity sigma negative", "?appearanceIntensitySigma=-1", HttpStatusCode.BadRequest, Invalid, "(query parameter appearanceIntensitySigma)" },
        { "weight NaN", "?appearanceWeight=NaN", HttpStatusCode.BadRequest, Invalid, "(query parameter appearanceWeight)" },
        { "iterations 51", "?iterations=51", HttpStatusCode.BadRequest, Invalid, "Iterations must be between 0 and 50" },
        { "labels 1", "?labels=1", HttpStatusCode.BadRequest, Invalid, "labels must be 2..255" },
        { "confidence 1", "?confidence=1", HttpStatusCode.BadRequest, Invalid, "confidence must be a number strictly between 0 and 1" },
        { "confidence 0", "?confidence=0", HttpStatusCode.BadRequest, Invalid, "strictly between 0 and 1" },
        { "no mask nor probabilities", "", HttpStatusCode.BadRequest, Invalid, "got neither" },
        { "mask and probabilities", "?labels=2", HttpStatusCode.BadRequest, Invalid, "got both" },
        { "no image", "", HttpStatusCode.BadRequest, Invalid, "Send exactly one file in the multipart field 'image'" },
        { "two masks", "", HttpStatusCode.BadRequest, Invalid, "at most one part in the multipart field 'mask'" },
        { "too costly", "?iterations=50", HttpStatusCode.UnprocessableEntity, "urn:explainapi:problem:refinement-too-costly", "work (height × width × labels × iterations) is 230400; the limit is 200000" },
        { "raw image body", "", HttpStatusCode.UnsupportedMediaType, "urn:explainapi:problem:unsupported-media-type", "is not multipart/form-data" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_clear_4xx_problem(string @case, string query, HttpStatusCode status, string type, string detail)
    {
        var response = await factory.CreateClient(ExplainApiFactory.InferKey).PostAsync("/v1/segmentations/refine" + query, Body(@case));
        var problem = await ProblemAssert.IsProblemAsync(response, status, type);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (@case == "too costly")
        {
            Assert.Equal(230_400, problem.GetProperty("cost").GetInt64());
        }
    }

    private static HttpContent Body(string @case)
    {
        var (image, mask) = (Scene.ImagePng, Scene.MaskPng);
        float[] Probabilities(Action<float[]> spoil)
        {
            var values = RawFloat32.Decode(Scene.Probabilities());
            spoil(values);
            return values;
        }

        return @case switch
        {
            "mask of another size" => SegmentationRefineTests.Body(image, mask: NoisySquare.LabelPng(new int[40 * 40], 40, 40)),
            "rgb mask" => SegmentationRefineTests.Body(image, mask: PngEncoder.Encode(new byte[Pixels * 3], NoisySquare.Size, NoisySquare.Size, PngPixelFormat.Rgb8)),
            "jpeg-like mask" => SegmentationRefineTests.Body(image, mask: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            "mask class over labels" => SegmentationRefineTests.Body(image, mask: NoisySquare.LabelPng([.. Scene.Truth.Select(l => l * 2)], NoisySquare.Size, NoisySquare.Size)),
            "probabilities of 2 maps" or "probabilities without labels" or "probabilities with confidence" =>
                SegmentationRefineTests.Body(image, probabilities: Scene.Probabilities()),
            "probabilities cut short" => SegmentationRefineTests.Body(image, probabilities: Scene.Probabilities()[..^4]),
            "probabilities with NaN" => SegmentationRefineTests.Body(image, probabilities: NoisySquare.Float32(Probabilities(v => v[100] = float.NaN))),
            "probabilities not summing to one" => SegmentationRefineTests.Body(image, probabilities: NoisySquare.Float32(Probabilities(v => (v[7], v[Pixels + 7]) = (0.5f, 0.3f)))),
            "no mask nor probabilities" => SegmentationRefineTests.Body(image),
            "mask and probabilities" => SegmentationRefineTests.Body(image, mask, Scene.Probabilities()),
            "no image" => SegmentationRefineTests.Body(null, mask),
            "two masks" => Twice(SegmentationRefineTests.Body(image, mask), mask),
            "raw image body" => TestImages.PngContent(image),
            _ => SegmentationRefineTests.Body(image, mask),
        };
    }

    private static MultipartFormDataContent Twice(MultipartFormDataContent body, byte[] mask)
    {
        body.Add(new ByteArrayContent(mask), "mask", "again.png");
        return body;
    }
}
