using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExplainApi.Core.Datasets;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static ExplainApi.Host.Tests.Datasets.DatasetArchives;

namespace ExplainApi.Host.Tests.Datasets;

public sealed class DatasetApiTests(ExplainApiFactory factory) : IClassFixture<ExplainApiFactory>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("explainapi-host-datasets-").FullName;

    private HttpClient Client => factory.CreateClient(ExplainApiFactory.TrainKey);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task An_uploaded_zip_is_created_listed_read_resolved_and_deleted()
    {
        var zip = Zip([.. TwoClasses(3), ("normal/broken.png", TestImages.Gradient8(4, 4)[..30])]);
        var response = await Client.PostAsync("/v1/datasets?name=chest%20films", ZipContent(zip));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^ds_[a-z2-7]{26}$", id);
        Assert.Equal($"/v1/datasets/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("chest films", created.GetProperty("name").GetString());
        Assert.Equal(6, created.GetProperty("count").GetInt32());
        Assert.Equal("""[{"name":"abnormal","count":3},{"name":"normal","count":3}]""", created.GetProperty("classes").GetRawText());
        Assert.Equal("""{"channels":1,"height":16,"width":20}""", created.GetProperty("shape").GetRawText());
        var rejected = Assert.Single(created.GetProperty("rejected").EnumerateArray());
        Assert.Equal("normal/broken.png", rejected.GetProperty("file").GetString());
        Assert.False(string.IsNullOrEmpty(rejected.GetProperty("reason").GetString()));
        Assert.True(created.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        var read = await Client.GetFromJsonAsync<JsonElement>($"/v1/datasets/{id}");
        Assert.Equal(created.GetRawText(), read.GetRawText());

        var catalog = await Client.GetFromJsonAsync<JsonElement>("/v1/datasets");
        Assert.Contains(catalog.GetProperty("uploaded").EnumerateArray(), d => d.GetProperty("id").GetString() == id && d.GetProperty("rejectedCount").GetInt32() == 1);
        var synthetic = catalog.GetProperty("synthetic").EnumerateArray().ToList();
        Assert.Equal(["brain-atrophy", "lesions", "squares"], synthetic.Select(g => g.GetProperty("name").GetString()));
        Assert.Equal("synthetic:lesions?n=4000&size=112&seed=1&background=mixed&max=3", synthetic[1].GetProperty("example").GetString());
        var squares = synthetic[2];
        Assert.Equal("synthetic:squares?n=10000&size=112&seed=1", squares.GetProperty("example").GetString());
        Assert.Equal(["n", "size", "seed"], squares.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        // What a training job does with the id.
        var dataset = factory.Services.GetRequiredService<IDatasetResolver>().Resolve(id);
        Assert.Equal((6, 16, 20), (dataset.Count, dataset.Height, dataset.Width));
        Assert.Equal(InputNormalization.WindowThenStandardize, dataset.Normalization.Kind);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/datasets/{id}")).StatusCode);
        var gone = await ProblemAssert.IsProblemAsync(await Client.GetAsync($"/v1/datasets/{id}"), HttpStatusCode.NotFound, ProblemTypes.DatasetNotFound);
        Assert.Equal($"No uploaded dataset has the id '{id}'.", gone.GetProperty("detail").GetString());
        await ProblemAssert.IsProblemAsync(await Client.DeleteAsync($"/v1/datasets/{id}"), HttpStatusCode.NotFound, ProblemTypes.DatasetNotFound);
    }

    [Fact]
    public async Task A_multipart_upload_mixing_png_jpeg_dicom_and_nifti_is_resized_to_the_requested_shape()
    {
        var zip = Zip(("normal/a.png", TestImages.Gradient8(12, 10)), ("normal/colin.nii.gz", await File.ReadAllBytesAsync(Colin)),
            ("abnormal/b.jpg", Jpeg(24, 24)), ("abnormal/c.dcm", DatasetArchives.Dicom(_directory)));
        var response = await Client.PostAsync("/v1/datasets?size=32&channels=3", Multipart(zip, "mixed-formats.zip"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("mixed-formats", created.GetProperty("name").GetString());
        Assert.Equal("""{"channels":3,"height":32,"width":32}""", created.GetProperty("shape").GetRawText());
        Assert.Equal(4, created.GetProperty("count").GetInt32());
        Assert.Empty(created.GetProperty("rejected").EnumerateArray());
    }

    [Fact]
    public async Task Datasets_need_the_train_scope()
    {
        var infer = factory.CreateClient(ExplainApiFactory.InferKey);
        var problem = await ProblemAssert.IsProblemAsync(await infer.PostAsync("/v1/datasets", ZipContent(Zip(TwoClasses(1)))),
            HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Contains("train", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(await infer.GetAsync("/v1/datasets"), HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        await ProblemAssert.IsProblemAsync(await factory.CreateClient(apiKey: null).GetAsync("/v1/datasets"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("?channels=2", "channels must be 1 or 3.")]
    [InlineData("?size=0", "size must be between 1 and 2048.")]
    [InlineData("?name=%20", "name must be 1–100 characters without control characters.")]
    public async Task Bad_query_values_are_400(string query, string detail)
    {
        var problem = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets" + query, ZipContent(Zip(TwoClasses(1)))),
            HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_a_zip_type_is_415()
    {
        var problem = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets", TestImages.PngContent(TestImages.Gradient8(4, 4))),
            HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
        Assert.Contains("image/png", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_multipart_body_without_the_archive_field_is_400()
    {
        var problem = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets", Multipart(Zip(TwoClasses(1)), "a.zip", field: "image")),
            HttpStatusCode.BadRequest, ProblemTypes.InvalidRequest);
        Assert.Equal("This route reads files only from the multipart field(s) 'archive'; the body has a file in another field.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refused_archives_are_400_413_or_422_with_the_importers_reason()
    {
        var traversal = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets", ZipContent(Zip([.. TwoClasses(1), ("../evil.png", [1])]))),
            HttpStatusCode.BadRequest, ProblemTypes.DatasetArchiveInvalid);
        Assert.Equal("Entry '../evil.png' climbs out of the archive with '..'; archives with such paths are refused.", traversal.GetProperty("detail").GetString());

        var bomb = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets", ZipContent(Zip([.. TwoClasses(1), ("normal/zeros.png", new byte[8 << 20])]))),
            HttpStatusCode.RequestEntityTooLarge, ProblemTypes.DatasetArchiveTooLarge);
        Assert.EndsWith("It looks like a zip bomb.", bomb.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var oneClass = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets", ZipContent(Zip(("normal/a.png", TestImages.Gradient8(4, 4))))),
            HttpStatusCode.UnprocessableEntity, ProblemTypes.DatasetArchiveUnusable);
        Assert.Equal("Only class 'normal' has accepted images (1); a classifier needs at least 2 classes.", oneClass.GetProperty("detail").GetString());

        var csv = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets", ZipContent(Zip(("labels.csv", "name,class\n"u8.ToArray())))),
            HttpStatusCode.BadRequest, ProblemTypes.DatasetArchiveInvalid);
        Assert.StartsWith("labels.csv line 1 must be the header", csv.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(factory.DataDirectory, "datasets")), d => Path.GetFileName(d).StartsWith(".importing", StringComparison.Ordinal));
    }
}
