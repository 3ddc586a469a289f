using System.Text;
using ExplainApi.Core.Datasets;
using ExplainApi.Core.Models;
using ExplainApi.Host.Models;
using Microsoft.AspNetCore.Http;

namespace ExplainApi.Host.Tests.Explaining;

public sealed class KServeRequestReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public async Task A_body_arriving_in_pieces_of_any_size_parses_to_the_same_values(int piece)
    {
        var values = Enumerable.Range(0, 4 * 3 * 64 * 64).Select(i => (float)Math.Sin(i)).ToArray();
        var json = KServeRequests.Json([4, 3, 64, 64], values);
        var http = new DefaultHttpContext();
        http.Request.ContentType = "application/json";
        http.Request.Body = new TrickleStream(Encoding.UTF8.GetBytes(json), piece);

        var (request, problem) = await KServeRequestReader.ReadAsync(http.Request, new ModelInputSpec(3, 64, 64, InputNormalization.Window(1), false), CancellationToken.None);

        Assert.True(problem is null, problem?.ProblemDetails.Detail);
        Assert.Equal(values, request!.Images.SelectMany(i => i));
    }

    /// <summary>A body that hands out at most <paramref name="piece"/> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int piece) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, piece), cancellationToken);
    }
}
