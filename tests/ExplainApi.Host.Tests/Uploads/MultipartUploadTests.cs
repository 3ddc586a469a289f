using System.Net;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Explaining;
using ExplainApi.Host.Tests.Infrastructure;
using ExplainApi.Host.Uploads;
using ExplainApi.Onnx.Tests.Explaining;
using static ExplainApi.Host.Tests.Datasets.DatasetArchives;
using static ExplainApi.Host.Tests.Uploads.MultipartBodies;

namespace ExplainApi.Host.Tests.Uploads;

/// <summary>
/// Every multipart route reads through the one streaming reader: a body cut short, a boundary RFC 2046 forbids or
/// too many files is a 400 with our own text, a part over its limit a 413, and no spool file or descriptor outlives the request.
/// </summary>
public sealed class MultipartUploadTests(SaliencyFixture fixture) : IClassFixture<SaliencyFixture>
{
    private HttpClient Admin => fixture.Factory.CreateClient(ExplainApiFactory.AdminKey);

    public static TheoryData<string, string> Routes => new()
    {
        { "/v1/images/inspect", "image" },
        { "/v1/images/render", "image" },
        { "/v1/models/conv/saliency?method=gradcam", "image" },
        { "/v1/models/import", "model" },
        { "/v1/datasets", "archive" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_body_cut_short_before_its_closing_boundary_is_400_on_every_route(string route, string field)
    {
        var body = Build(Boundary, PartFor(field), new Part("spec", null, "application/json", "{\"name\":\"x\"}"u8.ToArray()), PartFor(field));

        var problem = await ProblemAssert.IsProblemAsync(await Admin.PostAsync(route, Truncated(body)), HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);

        Assert.Equal(MultipartBodyReader.MalformedDetail, problem.GetProperty("detail").GetString());
        AssertSpoolClean(fixture.Factory);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_boundary_of_5000_characters_is_400_and_never_reaches_a_log(string route, string field)
    {
        var boundary = "B" + new string('x', 4998) + "Z";
        var response = await Admin.PostAsync(route, Content(Build(boundary, PartFor(field)), boundary));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);
        Assert.Equal(MultipartBoundary.Rule, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(Rendered(fixture.Factory.LogEvents), line => line.Contains("xxxxxxxxxxxxxxxx", StringComparison.Ordinal));
        AssertSpoolClean(fixture.Factory);
    }

    [Fact]
    public async Task Seventeen_images_are_400_naming_the_1_to_16_rule_not_413()
    {
        var body = Build(Boundary, [.. Enumerable.Range(0, 17).Select(_ => Png())]);

        var problem = await ProblemAssert.IsProblemAsync(await Admin.PostAsync("/v1/models/conv/saliency?method=gradcam", Content(body)),
            HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);

        Assert.Equal("Send 1 to 16 files in the multipart field 'image'; got 17.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Sixteen_images_are_still_explained()
    {
        var response = await Admin.PostAsync("/v1/models/conv/saliency?method=gradcam", Content(Build(Boundary, [.. Enumerable.Range(0, 16).Select(_ => Png())])));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_65_MiB_part_streamed_without_a_length_is_413_counted_not_guessed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/inspect") { Content = StreamedMultipartContent.Create("image", "big.png", 65L << 20) };
        request.Headers.TransferEncodingChunked = true;

        var problem = await ProblemAssert.IsProblemAsync(await Admin.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, ProblemTypes.ImageTooLarge);

        Assert.Equal("The image is larger than the limit of 67108864 bytes.", problem.GetProperty("detail").GetString());
        AssertSpoolClean(fixture.Factory);
    }

    [Fact]
    public async Task A_file_in_an_unknown_field_is_400_and_a_plain_extra_field_is_ignored()
    {
        var unknown = await ProblemAssert.IsProblemAsync(await Admin.PostAsync("/v1/images/inspect", Content(Build(Boundary, Png("other")))),
            HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);
        Assert.Equal("This route reads files only from the multipart field(s) 'image'; the body has a file in another field.", unknown.GetProperty("detail").GetString());

        var extra = new Part("note", null, "text/plain", "hello"u8.ToArray());
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync("/v1/images/inspect", Content(Build(Boundary, extra, Png())))).StatusCode);
    }

    [Fact]
    public async Task A_spooled_dataset_upload_leaves_nothing_in_the_spool()
    {
        var response = await Admin.PostAsync("/v1/datasets", Content(Build(Boundary, PartFor("archive"))));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        AssertSpoolClean(fixture.Factory);
    }

    private static Part PartFor(string field) => field switch
    {
        "model" => new Part("model", "model.onnx", "application/octet-stream", TinyConvNet.Imported()),
        "archive" => new Part("archive", "a.zip", "application/zip", Zip(TwoClasses(2))),
        _ => Png(field),
    };
}
