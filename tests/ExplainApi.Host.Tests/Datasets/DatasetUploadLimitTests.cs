using System.Net;
using System.Net.Http.Headers;
using ExplainApi.Host.Errors;
using ExplainApi.Host.Tests.Infrastructure;
using static ExplainApi.Host.Tests.Datasets.DatasetArchives;

namespace ExplainApi.Host.Tests.Datasets;

/// <summary>The archive size limit, from Content-Length before reading and while copying when the length is unknown.</summary>
public sealed class DatasetUploadLimitTests(DatasetUploadLimitTests.SmallArchiveFactory factory) : IClassFixture<DatasetUploadLimitTests.SmallArchiveFactory>
{
    public sealed class SmallArchiveFactory : ExplainApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["ExplainApi:Datasets:MaxArchiveBytes"] = "4096",
        };
    }

    private HttpClient Client => factory.CreateClient(ExplainApiFactory.TrainKey);

    [Fact]
    public async Task An_upload_declaring_more_than_the_limit_is_413_before_it_is_read()
    {
        var problem = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets", ZipContent(new byte[5000])),
            HttpStatusCode.RequestEntityTooLarge, ProblemTypes.DatasetArchiveTooLarge);
        Assert.Equal("The upload is 5000 bytes; the limit is 4096.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_chunked_upload_is_stopped_at_the_limit()
    {
        var content = new UnknownLengthContent(new byte[10_000]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/datasets") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var problem = await ProblemAssert.IsProblemAsync(await Client.SendAsync(request),
            HttpStatusCode.RequestEntityTooLarge, ProblemTypes.DatasetArchiveTooLarge);
        Assert.Equal("The upload is larger than the limit of 4096 bytes.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_oversized_multipart_part_is_413()
    {
        var problem = await ProblemAssert.IsProblemAsync(await Client.PostAsync("/v1/datasets", Multipart(new byte[5000], "big.zip")),
            HttpStatusCode.RequestEntityTooLarge, ProblemTypes.DatasetArchiveTooLarge);
        Assert.Equal("The upload is larger than the limit of 4096 bytes.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_small_valid_archive_still_fits()
    {
        var response = await Client.PostAsync("/v1/datasets", ZipContent(Zip(("a/x.png", TestImages.Gradient8(4, 4)), ("b/y.png", TestImages.Gradient8(4, 4)))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>A body whose length is not known up front, so no Content-Length is sent.</summary>
    private sealed class UnknownLengthContent(byte[] data) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(data).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
